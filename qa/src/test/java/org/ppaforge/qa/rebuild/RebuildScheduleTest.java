package org.ppaforge.qa.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.farm.Builds;
import org.ppaforge.qa.Qa;

/** When scheduled rebuild sets are due: daily once a (UTC) day, cron at its minutes since the last run, by hand never. */
class RebuildScheduleTest {
    @TempDir
    Path data;

    @Test
    void dailyAndCronSetsFallDueAndManualOnesNever() {
        try (Ppaforge ppa = Ppaforge.open(data);
                Builds builds = Builds.open(ppa);
                Qa qa = Qa.open(ppa, builds)) {
            ppa.createArchive()
                    .name("src")
                    .series(List.of("sid"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.createArchive()
                    .name("out")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            Rebuilds r = qa.rebuilds();
            r.create(RebuildSetRequest.of("daily", "src", List.of("hello"), "out")
                    .withSchedule("daily"));
            r.create(RebuildSetRequest.of("early", "src", List.of("hello"), "out")
                    .withSchedule("30 3 * * *"));
            r.create(RebuildSetRequest.of("manual", "src", List.of("hello"), "out"));
            assertThatThrownBy(() -> r.create(RebuildSetRequest.of("bad", "src", List.of("hello"), "out")
                            .withSchedule("every day")))
                    .hasMessageStartingWith("--schedule is daily or a cron expression");
            Instant now = Instant.now();
            assertThat(r.due(now))
                    .extracting(RebuildSet::name)
                    .contains("daily")
                    .doesNotContain("manual");
            // The cron set is due once a 03:30 has passed since it was made (within the day looked back).
            Instant tomorrow0331 = now.atZone(ZoneOffset.UTC)
                    .toLocalDate()
                    .plusDays(1)
                    .atTime(3, 31)
                    .toInstant(ZoneOffset.UTC);
            assertThat(r.due(tomorrow0331)).extracting(RebuildSet::name).contains("early", "daily");
            long run = qa.store().rebuilds().startRun("daily", now);
            qa.store().rebuilds().finishRun(run, "ran", now);
            assertThat(r.due(now)).extracting(RebuildSet::name).doesNotContain("daily");
            assertThat(r.due(now.plusSeconds(86_400)))
                    .extracting(RebuildSet::name)
                    .contains("daily");
        }
    }
}
