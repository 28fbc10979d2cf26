package dev.mediawatch.agent.config;

import java.time.Duration;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.mediawatch.runtime.config.ConfigProblems;
import dev.mediawatch.runtime.config.Values;
import io.quarkus.runtime.StartupEvent;

/**
 * The checks of the agent's configuration that relate several values. Each single value is checked by its converter
 * where {@link AgentConfig} declares it, before any bean is built; these run first at startup, before every other
 * startup observer, and stop it naming every key involved.
 */
@Singleton
public class AgentConfigCheck {

    void onStart(@Observes @Priority(1) StartupEvent event, AgentConfig config) {
        check(config).stopIfAny();
    }

    /** What is wrong between the values, one sentence each naming the keys; empty when nothing is. */
    static List<String> problems(AgentConfig config) {
        return check(config).list();
    }

    private static ConfigProblems check(AgentConfig config) {
        ConfigProblems problems = new ConfigProblems();
        AgentConfig.Activity activity = config.activity();
        Duration interval = activity.interval();
        problems.longer("mediawatch.activity.interval", interval, "mediawatch.activity.timeout", activity.timeout(),
                null);
        // A span must see at least two polls; silence must outlast one poll, else a check-in between two polls
        // would count as one missed.
        Duration twoPolls = interval.multipliedBy(2);
        if (activity.stall().span().compareTo(twoPolls) < 0) {
            problems.add("mediawatch.activity.stall.span: " + human(activity.stall().span())
                    + " is too short; use at least " + human(twoPolls) + " (twice mediawatch.activity.interval, "
                    + human(interval) + ")");
        }
        problems.longer("mediawatch.activity.stall.silent-after", activity.stall().silentAfter(),
                "mediawatch.activity.interval", interval, null);
        // Asking the histories more often than the activity is collected could not happen anyway, and would only
        // hide a wrong setting.
        if (activity.imports().interval().compareTo(interval) < 0) {
            problems.add("mediawatch.activity.imports.interval: " + human(activity.imports().interval())
                    + " is shorter than mediawatch.activity.interval (" + human(interval) + "); use at least that");
        }
        problems.longer("mediawatch.mounts.interval", config.mounts().interval(), "mediawatch.mounts.timeout",
                config.mounts().timeout(), null);
        return problems;
    }

    private static String human(Duration d) {
        return Values.human(d);
    }
}
