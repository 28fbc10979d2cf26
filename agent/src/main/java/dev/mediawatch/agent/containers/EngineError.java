package dev.mediawatch.agent.containers;

import java.util.regex.Pattern;

import dev.mediawatch.contract.Text;

/** Why the engine failed, as a short line safe to publish: no stack, no credentials from a URL. */
final class EngineError {

    /** {@code scheme://user:secret@host} in a message loses its user info. */
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]+@");

    private EngineError() {
    }

    static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return Text.printable(USER_INFO.matcher(root.getClass().getSimpleName() + message).replaceAll(""), 200);
    }
}
