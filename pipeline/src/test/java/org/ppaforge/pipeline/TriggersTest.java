package org.ppaforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.farm.Builds;

/** Polling runs only when the branch moved; the daily schedule runs once a day and skips days without changes; pushes. */
class TriggersTest {

    /** How the archive is opened: the embedded default here; {@link TriggersOnSharedStoresTest} runs every test on PostgreSQL and S3. */
    ArchiveSettings settings(Path data) {
        return ArchiveSettings.of(data);
    }

    @TempDir
    Path data;

    @TempDir
    Path upstream;

    Ppaforge ppa;
    Builds builds;
    Pipelines pipelines;
    Git dev;
    int commits;

    @BeforeEach
    void open() throws Exception {
        ppa = Ppaforge.open(settings(data));
        builds = Builds.open(ppa);
        pipelines = Pipelines.open(ppa, builds);
        dev = Git.init()
                .setDirectory(upstream.toFile())
                .setInitialBranch("main")
                .call();
    }

    @AfterEach
    void close() {
        dev.close();
        pipelines.close();
        builds.close();
        ppa.close();
    }

    private void commit(String triggers) throws Exception {
        Files.writeString(
                upstream.resolve(".ppaforge.yml"),
                "archive: trunk\nseries: bookworm\ncheck:\n  commands: [true]\n" + triggers);
        Files.writeString(upstream.resolve("file"), "change " + ++commits + "\n");
        dev.add().addFilepattern(".").call();
        dev.commit().setMessage("c" + commits).setSign(false).call();
    }

    @Test
    void pollingRunsWhenTheBranchMovedAndNotOtherwise() throws Exception {
        commit("triggers:\n  poll: 5m\n");
        pipelines
                .create()
                .name("p")
                .git(upstream.toUri().toString().replace("file:/", "file:///"))
                .branch("main")
                .file(null)
                .call();
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        assertThat(pipelines.triggers().tick(t)).isEmpty(); // the first look only learns where the branch is
        commit("triggers:\n  poll: 5m\n");
        assertThat(pipelines.triggers().tick(t.plusSeconds(60))).isEmpty(); // not due yet
        assertThat(pipelines.triggers().tick(t.plus(Duration.ofMinutes(5))))
                .singleElement()
                .satisfies(r -> assertThat(r.trigger()).isEqualTo("poll"));
        assertThat(pipelines.triggers().tick(t.plus(Duration.ofMinutes(10)))).isEmpty(); // unchanged
    }

    @Test
    void theDailyScheduleSkipsADayWithoutChanges() throws Exception {
        commit("triggers:\n  schedule: daily\n");
        pipelines
                .create()
                .name("p")
                .git(upstream.toUri().toString().replace("file:/", "file:///"))
                .branch("main")
                .file(null)
                .call();
        Instant monday = Instant.parse("2026-12-07T03:00:00Z");
        assertThat(pipelines.triggers().tick(monday))
                .singleElement()
                .satisfies(r -> assertThat(r.trigger()).isEqualTo("daily"));
        assertThat(pipelines.triggers().tick(monday.plus(Duration.ofHours(5)))).isEmpty(); // once a day
        assertThat(pipelines.triggers().tick(monday.plus(Duration.ofDays(1)))).isEmpty(); // Tuesday: nothing changed
        commit("triggers:\n  schedule: daily\n");
        assertThat(pipelines.triggers().tick(monday.plus(Duration.ofDays(1)).plusSeconds(3600)))
                .isEmpty(); // Tuesday was done
        assertThat(pipelines.triggers().tick(monday.plus(Duration.ofDays(2))))
                .singleElement(); // Wednesday: changed since
    }

    @Test
    void aCronScheduleRunsAtItsTimes() throws Exception {
        commit("triggers:\n  schedule: \"30 3 * * 1-5\"\n");
        pipelines
                .create()
                .name("p")
                .git(upstream.toUri().toString().replace("file:/", "file:///"))
                .branch("main")
                .file(null)
                .call();
        Instant monday = Instant.parse("2026-12-07T03:00:00Z");
        assertThat(pipelines.triggers().tick(monday)).isEmpty(); // the first look only starts the clock
        assertThat(pipelines.triggers().tick(monday.plus(Duration.ofMinutes(20))))
                .isEmpty();
        assertThat(pipelines.triggers().tick(monday.plus(Duration.ofMinutes(31))))
                .singleElement()
                .satisfies(r -> assertThat(r.trigger()).isEqualTo("schedule"));
        assertThat(pipelines.triggers().tick(monday.plus(Duration.ofMinutes(45))))
                .isEmpty();
        assertThat(pipelines.triggers().tick(monday.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(40))))
                .hasSize(1); // Tuesday
        assertThat(pipelines.triggers().tick(monday.plus(Duration.ofDays(5)).plus(Duration.ofMinutes(40))))
                .isEmpty(); // Saturday
        assertThat(Cron.parse("*/15 * * * 0").matches(ZonedDateTime.parse("2026-12-06T10:45:00Z")))
                .isTrue(); // Sunday
        assertThat(Cron.parse("*/15 * * * 7").matches(ZonedDateTime.parse("2026-12-06T10:46:00Z")))
                .isFalse();
        assertThatThrownBy(() -> Cron.parse("61 * * * *"))
                .hasMessageContaining("'61' in '61 * * * *' is not a number from 0 to 59");
    }

    @Test
    void aPushToTheBranchQueuesARunAndOtherRefsAreIgnored() throws Exception {
        commit("");
        pipelines
                .create()
                .name("p")
                .git(upstream.toUri().toString().replace("file:/", "file:///"))
                .branch("main")
                .file(null)
                .call();
        ObjectMapper json = new ObjectMapper();
        // The shape GitHub, GitLab and Gitea send (trimmed).
        Run r = pipelines
                .triggers()
                .push("p", json.readTree("{\"ref\": \"refs/heads/main\", \"after\": \"abc\", \"repository\": {}}"));
        assertThat(r.trigger()).isEqualTo("webhook");
        assertThat(pipelines.triggers().push("p", json.readTree("{\"ref\": \"refs/heads/feature\"}")))
                .isNull();
        assertThat(pipelines.triggers().push("p", json.readTree("{\"ref\": \"refs/tags/v1\"}")))
                .isNull();
        assertThatThrownBy(() -> pipelines.triggers().push("p", json.readTree("{}")))
                .hasMessageContaining("has no 'ref'");
        // A queued run can be cancelled; a second cancel is too late.
        assertThat(pipelines.cancel().run(r.id()).call().state()).isEqualTo(Run.CANCELLED);
        assertThatThrownBy(() -> pipelines.cancel().run(r.id()).call()).hasMessageContaining("too late to cancel");
        assertThat(pipelines.runner().runNext()).isNull();
        assertThatThrownBy(() -> pipelines.triggers().push("nope", json.readTree("{\"ref\": \"refs/heads/main\"}")))
                .hasMessage("there is no pipeline 'nope'");
    }
}
