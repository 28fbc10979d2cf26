package dev.mediawatch.agent.host;

/** Rounding for published rates: three decimals are plenty and keep payloads short. */
final class Num {

    private Num() {
    }

    static double r3(double v) {
        if (!Double.isFinite(v)) {
            return 0;
        }
        return Math.round(v * 1000.0) / 1000.0;
    }
}
