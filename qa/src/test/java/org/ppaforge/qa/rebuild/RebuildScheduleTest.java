package org.ppaforge.qa.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.farm.Builds;
import org.ppaforge.qa.Qa;

/** When scheduled rebuild sets are due: daily once a (UTC) day, cron at its minutes since the last run, by hand never. */
class RebuildScheduleTest {

    /** How the archive is opened: the embedded default here; {@link RebuildScheduleOnSharedStoresTest} runs every test on PostgreSQL and S3. */
    ArchiveSettings settings(Path data) {
        return ArchiveSettings.of(data);
    }

    @TempDir
    Path data;

    @Test
    void dailyAndCronSetsFallDueAndManualOnesNever() {
        try (Ppaforge ppa = Ppaforge.open(settings(data));
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

    @Test
    void runsAreNumberedPerSetAndNumbersGoOnAfterOldRunsExpire() throws Exception {
        try (Ppaforge ppa = Ppaforge.open(settings(data));
                Builds builds = Builds.open(ppa);
                Qa qa = Qa.open(ppa, builds)) {
            ppa.createArchive()
                    .name("out")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            byte[] keyring = Files.readAllBytes(Path.of("/usr/share/keyrings/debian-archive-bookworm-automatic.gpg"));
            String key =
                    OpenPgp.armor(OpenPgp.readPublicRings(keyring, "debian").toArray(new PGPPublicKeyRing[0]));
            qa.rebuilds()
                    .create(new RebuildSetRequest(
                            "apt",
                            "deb-src http://deb.debian.org/debian bookworm main",
                            null,
                            List.of("hello"),
                            "out",
                            null,
                            null,
                            null,
                            key));
            ppa.createArchive()
                    .name("src")
                    .series(List.of("sid"))
                    .architectures(List.of("amd64"))
                    .call();
            qa.rebuilds().create(RebuildSetRequest.of("other", "src", List.of("hello"), "out"));
            var store = qa.store().rebuilds();
            Instant now = Instant.now();
            for (String set : List.of("apt", "other", "apt", "apt", "other")) {
                store.finishRun(store.startRun(set, now), "ran", now);
            }
            assertThat(store.runs("apt", 10)).extracting(RebuildRun::number).containsExactly(3L, 2L, 1L);
            assertThat(store.runs("other", 10)).extracting(RebuildRun::number).containsExactly(2L, 1L);
            for (long old : store.finishedRunsBeyond("apt", 1)) {
                store.deleteRun(old);
            }
            store.startRun("apt", now);
            assertThat(store.runs("apt", 10)).extracting(RebuildRun::number).containsExactly(4L, 3L);
            // The source as people write it, not 'bookworm main/bookworm'.
            assertThat(qa.rebuilds().list())
                    .extracting(RebuildSet::sourceLabel)
                    .contains("deb-src http://deb.debian.org/debian bookworm main", "src/sid");
        }
    }
}
