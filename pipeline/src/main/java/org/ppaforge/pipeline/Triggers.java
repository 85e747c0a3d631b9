package org.ppaforge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.ppaforge.common.ForgeException;
import org.ppaforge.pipeline.definition.DefinitionReader;
import org.ppaforge.pipeline.definition.PipelineDefinition;
import org.ppaforge.pipeline.git.GitMirror;
import org.ppaforge.pipeline.store.PipelineStore;
import org.ppaforge.pipeline.version.RecipeVariables;

/**
 * What starts runs besides a person: polling the branch (only when it moved), a push webhook, and the daily schedule
 * (Launchpad's daily builds: at most once a day, and only on days the branch changed since the last scheduled run). The
 * polling interval and the schedule are the definition's ({@code triggers:}), as read at the last poll.
 */
public final class Triggers {
    /** How often a pipeline whose definition names no poll interval is looked at (for its schedule and definition). */
    static final Duration DEFAULT_LOOK = Duration.ofMinutes(15);

    private final Pipelines pipelines;

    Triggers(Pipelines pipelines) {
        this.pipelines = pipelines;
    }

    /**
     * One pass over every pipeline at {@code now}: those due are fetched; a moved branch (with polling on) or a due daily
     * schedule queues a run. An unreachable remote is reported and tried again at the next pass. Returns the runs queued.
     */
    public List<Run> tick(Instant now) {
        List<Run> started = new ArrayList<>();
        for (Pipeline p : pipelines.list()) {
            PipelineStore.TriggerState s = pipelines.store().triggerState(p.name());
            Duration every = s.pollSeconds() != null ? Duration.ofSeconds(s.pollSeconds()) : DEFAULT_LOOK;
            boolean dailyDue = "daily".equals(s.schedule()) && !day(now).equals(s.dailyOn());
            String cronLast =
                    s.dailyOn() != null && s.dailyOn().contains("T") ? s.dailyOn() : null; // daily keeps a date there
            boolean cronDue = cronDue(s.schedule(), cronLast, now);
            if (s.polledAt() != null && now.isBefore(s.polledAt().plus(every)) && !dailyDue && !cronDue) {
                continue;
            }
            String commit;
            PipelineDefinition d;
            try (GitMirror.Fetched f =
                    new GitMirror(pipelines.directory().resolve("git")).fetch(p.gitUrl(), p.branch())) {
                commit = f.commit().getName();
                String text = RecipeVariables.read(f.repository(), f.commit(), p.file());
                d = text == null ? null : DefinitionReader.read(text, p.file());
            } catch (IOException | RuntimeException e) {
                pipelines.problems().accept("pipeline " + p.name() + ": " + e.getMessage() + " (trying again later)");
                pipelines.store().polled(p.name(), s.seenCommit(), now, s.pollSeconds(), s.schedule());
                continue;
            }
            Long poll = d == null || d.triggers().poll() == null
                    ? null
                    : d.triggers().poll().toSeconds();
            String schedule = d == null ? null : d.triggers().schedule();
            boolean moved = s.seenCommit() != null && !s.seenCommit().equals(commit);
            pipelines.store().polled(p.name(), commit, now, poll, schedule);
            if (poll != null && moved) {
                started.add(pipelines
                        .start()
                        .pipeline(p.name())
                        .trigger("poll")
                        .ref(null)
                        .call());
            }
            if (schedule != null && !schedule.equals("daily")) {
                if (cronLast == null || cronDue(schedule, cronLast, now)) {
                    if (cronLast != null) {
                        started.add(pipelines
                                .start()
                                .pipeline(p.name())
                                .trigger("schedule")
                                .ref(null)
                                .call());
                    }
                    pipelines.store().scheduled(p.name(), minute(now), commit); // cron: the last minute looked at
                }
            }
            if ("daily".equals(schedule) && !day(now).equals(s.dailyOn())) {
                if (!commit.equals(s.dailyCommit())) {
                    started.add(pipelines
                            .start()
                            .pipeline(p.name())
                            .trigger("daily")
                            .ref(null)
                            .call());
                }
                pipelines.store().scheduled(p.name(), day(now), commit); // a day without changes is a day without a run
            }
        }
        return started;
    }

    /**
     * A push webhook (GitHub, GitLab, Gitea and Forgejo all send {@code ref} and {@code after}): a push to the pipeline's
     * branch queues a run of that commit's branch; other refs are ignored (null).
     */
    public Run push(String pipeline, JsonNode payload) {
        Pipeline p = pipelines.get(pipeline);
        String ref = payload.path("ref").asText("");
        if (ref.isEmpty()) {
            throw ForgeException.invalid("the push payload has no 'ref' (GitHub, GitLab, Gitea and Forgejo send one)");
        }
        if (!ref.equals("refs/heads/" + p.branch())) {
            return null;
        }
        return pipelines.start().pipeline(p.name()).trigger("webhook").ref(null).call();
    }

    /** Whether a cron schedule has a minute after {@code lastMinute} (an ISO minute) up to {@code now} (at most a day back). */
    public static boolean cronDue(String schedule, String lastMinute, Instant now) {
        if (schedule == null || schedule.equals("daily") || lastMinute == null || !lastMinute.contains("T")) {
            return false;
        }
        Cron cron = Cron.parse(schedule);
        ZonedDateTime t = ZonedDateTime.parse(lastMinute + ":00Z").plusMinutes(1);
        ZonedDateTime end = now.atZone(ZoneOffset.UTC).withSecond(0).withNano(0);
        if (t.isBefore(end.minusDays(1))) {
            t = end.minusDays(1);
        }
        for (; !t.isAfter(end); t = t.plusMinutes(1)) {
            if (cron.matches(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a schedule (UTC) is due at {@code now} when it last ran (or began) at {@code last}: {@code daily} when
     * {@code last} was on another day, a cron expression when one of its minutes passed since.
     */
    public static boolean dueSince(String schedule, Instant last, Instant now) {
        return schedule.equals("daily") ? !day(last).equals(day(now)) : cronDue(schedule, minute(last), now);
    }

    /** Throws with the reason when a cron expression is not one. */
    public static void checkCron(String expression) {
        Cron.parse(expression);
    }

    private static String minute(Instant now) {
        return now.atZone(ZoneOffset.UTC)
                .withSecond(0)
                .withNano(0)
                .toLocalDateTime()
                .toString()
                .substring(0, 16);
    }

    private static String day(Instant now) {
        return now.atZone(ZoneOffset.UTC).toLocalDate().toString();
    }
}
