package dev.mediawatch.agent.pressure;

/**
 * Parses a pressure stall information file ({@code /proc/pressure/io}, {@code cpu}, {@code memory}), as
 * documented in the kernel's {@code Documentation/accounting/psi.rst}:
 *
 * <pre>
 * some avg10=0.18 avg60=0.13 avg300=0.13 total=9250970
 * full avg10=0.09 avg60=0.05 avg300=0.04 total=6836080
 * </pre>
 *
 * avgN are percentages of wall time over the last N seconds; total is cumulative stall time in
 * microseconds. A malformed line is skipped and counted, an unknown line ignored: never an exception.
 */
public final class PressureParser {

    /** One line: the share of time some (or all) tasks stalled. */
    public record Line(double avg10, double avg60, double avg300, long totalUs) {
    }

    /**
     * @param some    the "some" line, or null when missing or malformed
     * @param full    the "full" line, or null (cpu before Linux 5.13 has none)
     * @param skipped malformed lines skipped
     */
    public record Result(Line some, Line full, int skipped) {
    }

    private PressureParser() {
    }

    public static Result parse(String text) {
        Line some = null;
        Line full = null;
        int skipped = 0;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (!f[0].equals("some") && !f[0].equals("full")) {
                continue; // a future kind of line: ignored for forward compatibility
            }
            Line parsed = fields(f);
            if (parsed == null) {
                skipped++;
            } else if (f[0].equals("some")) {
                some = parsed;
            } else {
                full = parsed;
            }
        }
        return new Result(some, full, skipped);
    }

    private static Line fields(String[] f) {
        Double avg10 = null;
        Double avg60 = null;
        Double avg300 = null;
        Long total = null;
        try {
            for (int i = 1; i < f.length; i++) {
                int eq = f[i].indexOf('=');
                if (eq <= 0) {
                    return null;
                }
                String key = f[i].substring(0, eq);
                String value = f[i].substring(eq + 1);
                switch (key) {
                    case "avg10" -> avg10 = Double.parseDouble(value);
                    case "avg60" -> avg60 = Double.parseDouble(value);
                    case "avg300" -> avg300 = Double.parseDouble(value);
                    case "total" -> total = Long.parseUnsignedLong(value);
                    default -> {
                        // a field a newer kernel may add
                    }
                }
            }
        } catch (NumberFormatException e) {
            return null;
        }
        if (avg10 == null || avg60 == null || avg300 == null || total == null) {
            return null;
        }
        return new Line(avg10, avg60, avg300, total);
    }
}
