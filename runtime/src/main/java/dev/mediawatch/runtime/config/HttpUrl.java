package dev.mediawatch.runtime.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * An absolute {@code http} or {@code https} URL with a host, e.g. {@code http://aggregator.lan:8470/status}, kept
 * as written. Not for a URL that may carry a credential (see the package's description).
 */
public class HttpUrl implements Converter<String> {

    @Override
    public String convert(String value) {
        String text = Values.text(value);
        if (text == null) {
            return null;
        }
        if (!isHttpUrl(text)) {
            throw new IllegalArgumentException("'" + text + "' is not an http(s) URL with a host; use e.g. "
                    + "http://host:8080/");
        }
        return text;
    }

    /** Whether {@code url} is an absolute http(s) URL with a host. */
    public static boolean isHttpUrl(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
