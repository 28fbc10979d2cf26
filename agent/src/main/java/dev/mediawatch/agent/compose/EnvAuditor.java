package dev.mediawatch.agent.compose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.mediawatch.agent.fs.HostFiles;
import dev.mediawatch.contract.EnvFile;

/**
 * Audits one compose directory: its own {@code .env} and the {@code .env} of each direct subdirectory (the
 * layouts {@code /opt/stacks/<stack>/.env} and one directory with its {@code .env}), read under the host root.
 * Blocking filesystem calls: run only on the audit's own thread ({@link ComposeAudit}). Trouble is a
 * {@code problems} line, never an exception; no line ever holds a value from a file.
 */
public final class EnvAuditor {

    /** Larger {@code .env} files are not read. */
    public static final int MAX_FILE_BYTES = 256 * 1024;

    /**
     * What one directory came to.
     *
     * @param files     its {@code .env} files holding secret-looking keys, sorted by path
     * @param problems  what could not be audited
     * @param filesRead {@code .env} files looked at (against the per-audit bound)
     */
    public record DirResult(List<EnvFile> files, List<String> problems, int filesRead) {
        public DirResult {
            files = List.copyOf(files);
            problems = List.copyOf(problems);
        }
    }

    private final HostFiles files;

    public EnvAuditor(HostFiles files) {
        this.files = files;
    }

    /**
     * @param dir       a configured directory (absolute host path)
     * @param filesLeft {@code .env} files this audit may still read; beyond, a problem says the rest were not
     */
    public DirResult audit(String dir, int filesLeft) {
        String base = normalize(dir);
        List<EnvFile> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Path where = files.path(base);
        if (!Files.exists(where)) {
            problems.add(dir + ": does not exist");
            return new DirResult(found, problems, 0);
        }
        if (!Files.isDirectory(where)) {
            problems.add(dir + ": not a directory");
            return new DirResult(found, problems, 0);
        }
        List<String> candidates = new ArrayList<>();
        candidates.add(child(base, ".env"));
        List<String> subdirectories = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(where)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry)) {
                    subdirectories.add(entry.getFileName().toString());
                }
            }
        } catch (IOException | SecurityException e) {
            problems.add(dir + ": cannot be listed (" + reason(e) + ")");
        }
        subdirectories.sort(null);
        for (String sub : subdirectories) {
            candidates.add(child(child(base, sub), ".env"));
        }
        int read = 0;
        for (String path : candidates) {
            if (read >= filesLeft) {
                if (!Files.isRegularFile(files.path(path))) {
                    continue;
                }
                problems.add(dir + ": more than " + ComposeAudit.MAX_FILES + " .env files in this audit; the rest were not read");
                break;
            }
            byte[] bytes;
            try {
                bytes = files.readBounded(path, MAX_FILE_BYTES);
            } catch (HostFiles.TooLarge e) {
                read++;
                problems.add(path + ": larger than " + (MAX_FILE_BYTES / 1024) + " KiB, not read");
                continue;
            } catch (HostFiles.NotRegular e) {
                if (!Files.isDirectory(files.path(path))) {
                    problems.add(path + ": not a regular file, not read");
                }
                continue;
            } catch (IOException | SecurityException e) {
                read++;
                problems.add(path + ": cannot be read (" + reason(e) + ")");
                continue;
            }
            if (bytes == null) {
                continue;
            }
            read++;
            EnvFileParser.Result parsed = EnvFileParser.parse(new String(bytes, StandardCharsets.UTF_8));
            if (!parsed.keys().isEmpty()) {
                found.add(new EnvFile(path, parsed.keys()));
            }
            if (parsed.truncated()) {
                problems.add(path + ": more than " + EnvFileParser.MAX_KEYS + " secret-looking keys; the first "
                        + EnvFileParser.MAX_KEYS + " are reported");
            }
        }
        return new DirResult(found, problems, read);
    }

    /** {@code /opt/stacks/} as {@code /opt/stacks}. */
    static String normalize(String dir) {
        String d = dir.strip();
        while (d.length() > 1 && d.endsWith("/")) {
            d = d.substring(0, d.length() - 1);
        }
        return d;
    }

    private static String child(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /** Why a call failed, in words of the filesystem (never text read from a file). */
    static String reason(Exception e) {
        if (e instanceof AccessDeniedException || e instanceof SecurityException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(Locale.ROOT);
        }
        return e.getClass().getSimpleName();
    }
}
