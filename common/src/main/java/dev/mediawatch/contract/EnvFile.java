package dev.mediawatch.contract;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A plaintext {@code .env} file that holds secret-looking keys. Names only: a value never leaves the host.
 *
 * @param path the file's path on the host
 * @param keys the secret-looking keys set in it to a non-empty value, sorted
 */
@JsonPropertyOrder({ "path", "keys" })
public record EnvFile(String path, List<String> keys) {

    public EnvFile {
        Objects.requireNonNull(path, "path");
        keys = keys == null ? List.of() : List.copyOf(keys);
    }
}
