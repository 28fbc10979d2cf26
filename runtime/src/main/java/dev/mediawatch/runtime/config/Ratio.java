package dev.mediawatch.runtime.config;

import org.eclipse.microprofile.config.spi.Converter;

/** A share strictly between 0 and 1, e.g. {@code 0.5}: neither none nor all of something. */
public class Ratio implements Converter<Double> {

    @Override
    public Double convert(String value) {
        String text = Values.text(value);
        if (text == null) {
            return null;
        }
        double d;
        try {
            d = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number; use a share between 0 and 1, e.g. 0.5");
        }
        if (!(d > 0 && d < 1)) {
            throw new IllegalArgumentException(text + " is not a share between 0 and 1 (both excluded); use e.g. 0.5");
        }
        return d;
    }
}
