package dev.mediawatch.runtime.config;

/** A TCP port, 1 to 65535. */
public class Port extends IntRange {

    public Port() {
        super(1, 65_535);
    }
}
