package dev.mediawatch.agent.config;

import org.eclipse.microprofile.config.spi.Converter;

import dev.mediawatch.contract.Text;

/**
 * Converts {@code mediawatch.address}: an IP address or a host name as published in every state, printable ASCII
 * without spaces, at most 253 characters. Blank is not set (the address is then looked up at startup).
 */
public class AddressConverter implements Converter<String> {

    @Override
    public String convert(String value) {
        String a = value.strip();
        if (a.isEmpty()) {
            return null;
        }
        if (a.length() > 253 || !a.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("'" + Text.printable(a, 60)
                    + "' is not an address; use an IP address or a host name, without spaces");
        }
        return a;
    }
}
