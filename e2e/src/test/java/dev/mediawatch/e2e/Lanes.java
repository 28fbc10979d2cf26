package dev.mediawatch.e2e;

import java.util.Arrays;
import java.util.Comparator;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * How the end-to-end tests share this one machine (configured in {@code junit-platform.properties}).
 *
 * <ul>
 * <li>{@link StutterIT} runs in a lane of its own, beside the others: for two minutes it mostly waits for the
 * detector to learn the calm and then to clear, and for under a minute it loads the disk with {@code fio} writers.
 * It holds {@link #HOST_DISK}.</li>
 * <li>A test whose aggregator runs the stutter detector on a download and a streaming host reads the same disk's
 * signals, and would see those writers as a stutter of its own: it takes {@link #HOST_DISK} too (shared among
 * such tests), so it never runs beside {@code StutterIT}. {@link ClassOrder} runs these last, so the lane beside
 * the stutter evening is filled with the tests that do not care.</li>
 * <li>The flood test ({@link BackpressureIT}) needs the machine to itself: it is {@code @Isolated} and runs after
 * every other class.</li>
 * </ul>
 */
final class Lanes {

    /** The machine's disk as the stutter detector reads it (write throughput, read wait, io pressure). */
    static final String HOST_DISK = "mediawatch.e2e.host-disk";

    private Lanes() {
    }

    /** Classes that need nothing exclusive first, then those that take {@link #HOST_DISK}; by name within each. */
    public static final class ClassOrder implements ClassOrderer {
        @Override
        public void orderClasses(ClassOrdererContext context) {
            context.getClassDescriptors().sort(Comparator.comparing(ClassOrder::takesTheDisk)
                    .thenComparing(d -> d.getTestClass().getSimpleName()));
        }

        private static boolean takesTheDisk(ClassDescriptor d) {
            return Arrays.stream(d.getTestClass().getAnnotationsByType(ResourceLock.class))
                    .anyMatch(l -> l.value().equals(HOST_DISK));
        }
    }
}
