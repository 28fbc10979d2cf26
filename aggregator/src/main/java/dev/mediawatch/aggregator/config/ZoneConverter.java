package dev.mediawatch.aggregator.config;

import java.time.DateTimeException;
import java.time.ZoneId;

import org.eclipse.microprofile.config.spi.Converter;

/** A time zone by its id ({@code Europe/Berlin}, {@code UTC}); a bad one names the ids that are meant. */
public class ZoneConverter implements Converter<ZoneId> {

    @Override
    public ZoneId convert(String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            return null;
        }
        try {
            return ZoneId.of(v);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + dev.mediawatch.contract.Text.printable(v, 40)
                    + "' is not a time zone: use a region id such as Europe/Berlin, or UTC");
        }
    }
}
