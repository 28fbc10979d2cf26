package dev.mediawatch.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test of the <b>soak</b> tier: minutes long, run only when asked for: {@code ./mvnw -pl agent verify -Psoak}, or by
 * naming its class ({@code -Dtest=...}). Neither {@code ./mvnw test} nor {@code ./mvnw verify} runs it. A soak test that
 * also needs real services carries {@link RealServices} too; the soak profile runs it all the same.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Tag(Soak.TAG)
public @interface Soak {

    /** The JUnit tag. */
    String TAG = "soak";
}
