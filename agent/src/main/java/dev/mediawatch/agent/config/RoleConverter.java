package dev.mediawatch.agent.config;

import java.util.regex.Pattern;

import org.eclipse.microprofile.config.spi.Converter;

import dev.mediawatch.contract.Text;

/** Converts {@code mediawatch.role}: a slug such as {@code download} or {@code streaming}, at most 32 characters. */
public class RoleConverter implements Converter<String> {

    private static final Pattern ROLE = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?");

    @Override
    public String convert(String value) {
        String role = value.strip();
        if (role.isEmpty()) {
            return null;
        }
        if (!ROLE.matcher(role).matches()) {
            throw new IllegalArgumentException("'" + Text.printable(role, 40)
                    + "' is not a role; use a slug such as download or streaming");
        }
        return role;
    }
}
