package dev.mediawatch.contract;

/** Small text helpers for error messages built from untrusted input. */
public final class Text {

    private Text() {
    }

    /**
     * Renders untrusted text for a log line or error message: control characters are escaped and the
     * result is cut to {@code max} characters, so a hostile topic or payload cannot forge log lines or
     * flood them.
     */
    public static String printable(CharSequence raw, int max) {
        if (raw == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(raw.length(), max) + 8);
        for (int i = 0; i < raw.length(); i++) {
            if (out.length() >= max) {
                out.append("...");
                break;
            }
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
