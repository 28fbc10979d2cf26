package dev.mediawatch.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A secret configured either as a value ({@code <key>}, e.g. from an environment variable that {@code infisical run}
 * injects) or as a file ({@code <key>-file}: systemd credentials under {@code $CREDENTIALS_DIRECTORY}, Docker
 * secrets under {@code /run/secrets}). The file holds the secret alone on one line; one trailing newline is
 * stripped. Every error names the key and the file, never the content, and nothing here logs.
 *
 * <p>Secrets that only ever come from the environment ({@link #fromEnvironment}) follow the same rules, with the
 * file named by {@code <VARIABLE>_FILE}.
 */
public final class Secrets {

    /** Larger files are refused: no API key, token or password is that long, and a wrong path may be a huge file. */
    public static final int MAX_BYTES = 64 * 1024;

    private Secrets() {
    }

    /**
     * @param key   the value's key, e.g. {@code mediawatch.api.token}; the file's key is {@code key + "-file"}
     * @param value the value, if set (blank counts as unset)
     * @param file  the file, if set
     * @return the secret, or empty when neither is set
     * @throws IllegalArgumentException when both are set, or the file cannot be used, naming the key and the file
     */
    public static Optional<String> resolve(String key, Optional<String> value, Optional<Path> file) {
        Objects.requireNonNull(key, "key");
        Optional<String> v = value.filter(s -> !s.isBlank());
        if (v.isPresent() && file.isPresent()) {
            throw new IllegalArgumentException(key + " and " + key + "-file are both set: set only one of them");
        }
        return file.isPresent() ? Optional.of(read(key + "-file", file.get())) : v;
    }

    /**
     * A secret from the environment: the variable itself (e.g. injected by {@code infisical run}), or the file that
     * {@code <variable>_FILE} names (systemd credentials, Docker secrets), read as {@link #read} does. A blank
     * variable counts as unset; a value is taken as it is.
     *
     * @param lookup   a variable's value by name, null when unset (e.g. {@code System::getenv})
     * @param variable the variable, e.g. {@code MEDIAWATCH_SABNZBD_API_KEY}
     * @return the secret, or empty when neither is set
     * @throws IllegalArgumentException when both are set, or the file cannot be used, naming the variable and the
     *                                  file, never the content
     */
    public static Optional<String> fromEnvironment(Function<String, String> lookup, String variable) {
        Objects.requireNonNull(lookup, "lookup");
        Objects.requireNonNull(variable, "variable");
        String fileVariable = variable + "_FILE";
        Optional<String> value = Optional.ofNullable(lookup.apply(variable)).filter(s -> !s.isBlank());
        Optional<String> file = Optional.ofNullable(lookup.apply(fileVariable)).map(String::strip)
                .filter(s -> !s.isEmpty());
        if (value.isPresent() && file.isPresent()) {
            throw new IllegalArgumentException(variable + " and " + fileVariable + " are both set: set only one of them");
        }
        if (file.isEmpty()) {
            return value;
        }
        Path path;
        try {
            path = Path.of(file.get());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(fileVariable + ": not a file path (" + e.getReason() + ")");
        }
        return Optional.of(read(fileVariable, path));
    }

    /** The secret in {@code file}, as {@link #resolve} reads it; errors name {@code key} and the file. */
    public static String read(String key, Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 3);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\n') {
            end--;
            if (end > 0 && bytes[end - 1] == '\r') {
                end--;
            }
        }
        // The secret itself is bounded, its line ending aside; a file cut off at the read limit is always over it.
        if (end > MAX_BYTES) {
            throw new IllegalArgumentException(key + ": " + file + " is larger than " + MAX_BYTES + " bytes");
        }
        if (end == 0) {
            throw new IllegalArgumentException(key + ": " + file + " is empty");
        }
        for (int i = 0; i < end; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                throw new IllegalArgumentException(key + ": " + file + " holds more than one line; write the secret alone"
                        + " on one line (one trailing newline is stripped)");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, end)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(key + ": " + file + " is not UTF-8 text");
        }
    }
}
