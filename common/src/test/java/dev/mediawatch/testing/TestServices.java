package dev.mediawatch.testing;

/**
 * The real services scripts/test.sh installs and starts for the tests: a dockerd on a private socket and
 * a Mosquitto on a loopback port. Tests that need them ask here and fail loudly when they are missing;
 * nothing is skipped.
 */
public final class TestServices {

    /** {@code unix:///...} of the test dockerd. */
    public static final String DOCKER_HOST = "MEDIAWATCH_TEST_DOCKER_HOST";
    /** The loopback port of the test Mosquitto. */
    public static final String MQTT_PORT = "MEDIAWATCH_TEST_MQTT_PORT";
    /** The image the script imported from Debian's busybox-static. */
    public static final String IMAGE = "MEDIAWATCH_TEST_IMAGE";

    private TestServices() {
    }

    public static String dockerHost() {
        return require(DOCKER_HOST);
    }

    public static int mosquittoPort() {
        return Integer.parseInt(require(MQTT_PORT));
    }

    public static String image() {
        return require(IMAGE);
    }

    private static String require(String name) {
        TestTier.requireReal("the dockerd and Mosquitto of scripts/services.sh (" + name + ")");
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: this test needs the real dockerd and Mosquitto that "
                    + "scripts/test.sh installs and starts. Run ./scripts/test.sh, or `eval \"$(scripts/services.sh start)\"` "
                    + "once and then Maven.");
        }
        return value;
    }
}
