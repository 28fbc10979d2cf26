package dev.mediawatch.agent.compose;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.mediawatch.agent.config.AgentConfig;
import dev.mediawatch.agent.fs.HostFiles;
import dev.mediawatch.contract.EnvAudit;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The plaintext-secret audit of the compose directories ({@code mediawatch.compose.dirs}), for the state's
 * {@code envAudit}: at startup, every {@code mediawatch.compose.audit-interval} and on the refresh command, on
 * a thread of its own ({@link ComposeAudit}). Without directories there is no audit and no {@code envAudit}.
 */
@ApplicationScoped
public class ComposeWatch {

    private static final Logger LOG = Logger.getLogger(ComposeWatch.class);

    private final AgentConfig config;
    private final List<String> dirs;
    private volatile ComposeAudit audit;

    public ComposeWatch(AgentConfig config) {
        this.config = config;
        this.dirs = dirs(config.compose().dirs());
    }

    /** The configured directories: absolute, each once. */
    static List<String> dirs(Optional<List<String>> configured) {
        List<String> out = new ArrayList<>();
        for (String raw : configured.orElse(List.of())) {
            String dir = raw.strip();
            if (dir.isEmpty()) {
                continue;
            }
            if (!dir.startsWith("/")) {
                throw new IllegalArgumentException("mediawatch.compose.dirs: '" + dev.mediawatch.contract.Text.printable(dir, 80)
                        + "' is not an absolute path");
            }
            String normal = EnvAuditor.normalize(dir);
            if (out.stream().anyMatch(o -> EnvAuditor.normalize(o).equals(normal))) {
                throw new IllegalArgumentException("mediawatch.compose.dirs: " + dir + " is listed twice");
            }
            out.add(dir);
        }
        return List.copyOf(out);
    }

    /**
     * Starts auditing; {@code changed} is called when the result changes (it must only enqueue). Called once by
     * the container watch at startup.
     */
    public void start(Runnable changed) {
        if (dirs.isEmpty()) {
            return;
        }
        HostFiles files = new HostFiles(Path.of(config.hostRoot()));
        LOG.infof("auditing compose directories %s under host root %s for plaintext secrets every %s (timeout %s)",
                dirs, files, config.compose().auditInterval(), config.mounts().timeout());
        ComposeAudit a = new ComposeAudit(dirs, files, config.mounts().timeout(), Clock.systemUTC(), changed);
        audit = a;
        a.start(config.compose().auditInterval());
    }

    /** The latest audit; null when no directory is watched, or before the first audit finished. */
    public EnvAudit current() {
        ComposeAudit a = audit;
        return a == null ? null : a.current();
    }

    /** Audit again soon (the refresh command); never blocks. */
    public void refresh() {
        ComposeAudit a = audit;
        if (a != null) {
            a.request();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        ComposeAudit a = audit;
        if (a != null) {
            a.close();
        }
    }
}
