package dev.mediawatch.runtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;

/**
 * Ends the app when a part of it can no longer work and cannot be brought back (a worker that never returns):
 * better a restart by systemd (or the container engine) than an app that looks alive and is blind. Asks Quarkus for
 * an orderly stop, and halts the JVM if that has not finished within 15 s (a stuck thread may hold it up).
 */
public final class Fatal {

    /** The exit code: EX_SOFTWARE of sysexits.h, "an internal software error". */
    public static final int EXIT_CODE = 70;
    private static final Logger LOG = Logger.getLogger(Fatal.class);
    private static final AtomicBoolean EXITING = new AtomicBoolean();

    private Fatal() {
    }

    public static void exit(String why) {
        if (!EXITING.compareAndSet(false, true)) {
            return;
        }
        LOG.errorf("stopping the app so that it is started again: %s", why);
        Thread halt = new Thread(() -> {
            try {
                TimeUnit.SECONDS.sleep(15);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(EXIT_CODE);
        }, "mediawatch-fatal-halt");
        halt.setDaemon(true);
        halt.start();
        Quarkus.asyncExit(EXIT_CODE);
    }
}
