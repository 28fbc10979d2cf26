package dev.mediawatch.contract;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The agent's audit of plaintext secrets in the compose directories it is told to watch
 * ({@code mediawatch.compose.dirs}): the split plan wants every secret in Infisical and no {@code .env}
 * holding one. Absent from the state when no directory is watched.
 *
 * @param dirs      the directories audited, as configured
 * @param files     {@code .env} files holding secret-looking keys, sorted by path; empty when clean
 * @param problems  what could not be audited (a directory missing, unreadable, or not answering in time)
 * @param checkedAt when the audit finished (UTC, the agent's clock)
 */
@JsonPropertyOrder({ "dirs", "files", "problems", "checkedAt" })
public record EnvAudit(List<String> dirs, List<EnvFile> files, List<String> problems, Instant checkedAt) {

    public EnvAudit {
        dirs = dirs == null ? List.of() : List.copyOf(dirs);
        files = files == null ? List.of() : List.copyOf(files);
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /** Audited completely and nothing found. */
    public boolean clean() {
        return files.isEmpty() && problems.isEmpty();
    }
}
