package dev.mediawatch.e2e;

import java.util.Arrays;
import java.util.Comparator;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * How the end-to-end tests share this one machine (configured in {@code junit-platform.properties}): two lanes.
 *
 * <ul>
 * <li>{@link StutterIT} starts first, in the second lane: for two minutes it mostly waits for the detector to learn
 * the calm and then to clear, and for under a minute it loads the disk with {@code fio} writers. It holds
 * {@link #HOST_DISK} alone.</li>
 * <li>Meanwhile the first lane runs, one class after another, the tests that neither read the disk's signals nor
 * load the machine.</li>
 * <li>A test whose aggregator runs the stutter detector on a download and a streaming host reads the same disk's
 * signals, and would see those writers as a stutter of its own: it takes {@link #HOST_DISK} for reading (shared
 * among such tests), so it never runs beside {@code StutterIT}. {@link ClassOrder} runs these last, in the first
 * lane.</li>
 * <li>The flood test ({@link BackpressureIT}) loads the processor for a minute and a half, which the stutter
 * evening must not see: it too reads {@link #HOST_DISK}, and runs in the second lane once {@code StutterIT} is
 * done, beside the detector's readers (it floods a broker of its own, and its 5 s bound has a margin of four
 * seconds).</li>
 * </ul>
 */
final class Lanes {

    /** The machine's disk as the stutter detector reads it (write throughput, read wait, io pressure). */
    static final String HOST_DISK = "mediawatch.e2e.host-disk";

    private Lanes() {
    }

    /**
     * The class holding {@link #HOST_DISK} alone first, then the classes that need nothing exclusive, then those that
     * read {@link #HOST_DISK}; by name within each.
     */
    public static final class ClassOrder implements ClassOrderer {
        @Override
        public void orderClasses(ClassOrdererContext context) {
            context.getClassDescriptors().sort(Comparator.comparingInt(ClassOrder::rank)
                    .thenComparing(d -> d.getTestClass().getSimpleName()));
        }

        private static int rank(ClassDescriptor d) {
            return Arrays.stream(d.getTestClass().getAnnotationsByType(ResourceLock.class))
                    .filter(l -> l.value().equals(HOST_DISK))
                    .mapToInt(l -> l.mode() == ResourceAccessMode.READ_WRITE ? 0 : 2)
                    .min().orElse(1);
        }
    }
}
