package dev.mediawatch.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test of the <b>real</b> tier: it needs something a machine with only a JDK, run by a normal user, does not have
 * (the test dockerd or Mosquitto of {@code scripts/services.sh}, a FUSE mount, fio and PSI, qbittorrent-nox, a
 * python3 helper, openssl, root for a private mount namespace). {@code ./mvnw test} leaves it out (surefire excludes
 * the tag); {@code ./mvnw verify} runs it once, in failsafe's integration-test phase, after the fast tier of the
 * same module. On a class it marks every test of the class; on a method, that method alone, so a class can keep its
 * pure tests in the fast tier. Say in the test's Javadoc what it needs.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Tag(RealServices.TAG)
public @interface RealServices {

    /** The JUnit tag: surefire's {@code excludedGroups} and failsafe's {@code groups} name it. */
    String TAG = "real";
}
