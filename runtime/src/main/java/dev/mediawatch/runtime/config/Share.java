package dev.mediawatch.runtime.config;

import org.eclipse.microprofile.config.spi.Converter;

/** A share above 0 and up to 1, e.g. {@code 0.75}: some or all of something, never none. */
public class Share implements Converter<Double> {

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
            throw new IllegalArgumentException("'" + text + "' is not a number; use a share above 0 and up to 1, e.g. 0.75");
        }
        if (!(d > 0 && d <= 1)) {
            throw new IllegalArgumentException(text + " is not a share above 0 and up to 1; use e.g. 0.75");
        }
        return d;
    }
}
