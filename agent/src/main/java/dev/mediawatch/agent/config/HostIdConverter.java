package dev.mediawatch.agent.config;

import org.eclipse.microprofile.config.spi.Converter;

import dev.mediawatch.contract.HostId;

/**
 * Converts {@code mediawatch.host-id}. Explicit rather than SmallRye's implicit {@code of(String)} converter,
 * whose error hides the reason: with this one a bad value stops startup with "SRCFG00039: The config property
 * mediawatch.host-id with the config value ... threw an Exception whilst being converted invalid host id ...".
 */
public class HostIdConverter implements Converter<HostId> {

    @Override
    public HostId convert(String value) {
        HostId host = HostId.of(value.strip());
        if (HostId.isReserved(host.value())) {
            throw new IllegalArgumentException("host id '" + host.value() + "' is reserved for the aggregator's own topics"
                    + " (reserved: " + new java.util.TreeSet<>(HostId.RESERVED) + ")");
        }
        return host;
    }
}
