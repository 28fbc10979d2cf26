package dev.mediawatch.runtime.config;

import org.eclipse.microprofile.config.spi.Converter;

import dev.mediawatch.contract.Topics;

/** The first level(s) of every topic ({@code mediawatch.topic-prefix}), as {@link Topics#withPrefix} takes them. */
public class TopicPrefix implements Converter<String> {

    @Override
    public String convert(String value) {
        String text = Values.text(value);
        if (text == null) {
            return null;
        }
        Topics.withPrefix(text);
        return text;
    }
}
