package dev.mediawatch.testing;

/**
 * The tier the build runs a test in, from {@code mwtest.tier}: surefire sets {@code fast}, failsafe {@code real}; a
 * test named with {@code -Dtest} runs as {@code named}, and outside Maven (the benchmarks) it is unset. The helpers
 * that reach a real service ({@link TestServices}, {@link PrivateMosquitto}, {@link DockerCli}, the agent's FUSE mount
 * and qBittorrent) call {@link #requireReal}, so a test that needs one but lacks {@link RealServices} fails in the
 * fast tier on every machine, where the services run too, instead of passing there and failing on a bare one.
 */
public final class TestTier {

    /** The system property the surefire and failsafe configurations set. */
    public static final String PROPERTY = "mwtest.tier";

    private TestTier() {
    }

    /** Fails when the running test is in the fast tier: {@code need} is what it reached for. */
    public static void requireReal(String need) {
        if ("fast".equals(System.getProperty(PROPERTY))) {
            throw new IllegalStateException("this test needs " + need + " but runs in the fast tier (./mvnw test), "
                    + "which needs only a JDK: mark it @RealServices (dev.mediawatch.testing), on the class or on the "
                    + "methods that need it, and it runs in ./mvnw verify");
        }
    }
}
