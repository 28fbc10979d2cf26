package dev.mediawatch.runtime.config;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.eclipse.microprofile.config.spi.Converter;

/** A regular expression ({@link Pattern}), kept as text: the code that uses it compiles it. */
public class Regex implements Converter<String> {

    @Override
    public String convert(String value) {
        String text = Values.text(value);
        if (text == null) {
            return null;
        }
        try {
            Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a regular expression: " + e.getDescription() + " near index "
                    + e.getIndex());
        }
        return text;
    }
}
