package dev.mediawatch.aggregator.config;

import org.eclipse.microprofile.config.spi.Converter;

import dev.mediawatch.aggregator.notify.NotifyTarget;
import dev.mediawatch.contract.Text;

/** Converts {@code mediawatch.notify.targets.<name>.kind}: {@code webhook} or {@code ntfy}. */
public class NotifyKind implements Converter<String> {

    @Override
    public String convert(String value) {
        String kind = value.strip();
        if (kind.isEmpty()) {
            return null;
        }
        if (!kind.equals(NotifyTarget.WEBHOOK) && !kind.equals(NotifyTarget.NTFY)) {
            throw new IllegalArgumentException("'" + Text.printable(kind, 40) + "' is not a kind of notification; use "
                    + NotifyTarget.WEBHOOK + " or " + NotifyTarget.NTFY);
        }
        return kind;
    }
}
