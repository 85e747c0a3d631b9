package org.ppaforge.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.model.ApiToken;
import org.ppaforge.backup.Backups;

/** The composition root and the daemon, started and stopped as {@code ppa serve} does, without its command line. */
@Timeout(120)
class DaemonTest {
    @TempDir
    Path data;

    private static void trunk(Forge forge) {
        forge.archive()
                .createArchive()
                .name("trunk")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
    }

    @Test
    void aOneShotForgeOpensOnlyWhatItIsAskedFor() {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            assertThat(forge.archive().listArchives().call()).isEmpty();
        }
        assertThat(data.resolve("ppaforge.db")).exists();
        assertThat(data.resolve("builds.db")).doesNotExist();
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            forge.qa(); // and what it needs: the build farm
        }
        assertThat(data.resolve("builds.db")).exists();
        assertThat(data.resolve("qa.db")).exists();
        assertThat(data.resolve("pipelines.db")).doesNotExist();
    }

    @Test
    void everyModuleIsOpenedOnceAndClosedInReverse() {
        try (Forge forge = Forge.open(ForgeConfig.of(data)).openAll()) {
            assertThat(forge.archive()).isNotNull();
            assertThat(forge.farm().archive()).isSameAs(forge.archive());
            assertThat(forge.pipelines().archive()).isSameAs(forge.archive());
            assertThat(forge.pipelines().builds()).isSameAs(forge.farm());
            assertThat(forge.qa().archive()).isSameAs(forge.archive());
            assertThat(forge.baseUrl()).isNull();
            assertThat(forge.pipelines().baseUrl()).isNull();
            assertThat(forge.farm()).isSameAs(forge.farm());
        }
        assertThat(data.resolve("ppaforge.db")).exists();
        assertThat(data.resolve("builds.db")).exists();
        assertThat(data.resolve("pipelines.db")).exists();
        assertThat(data.resolve("qa.db")).exists();
        // Closed: the files can be opened again at once by another forge (nothing held).
        try (Forge again = Forge.open(ForgeConfig.of(data))) {
            assertThat(again.archive().listArchives().call()).isEmpty();
        }
    }

    @Test
    void theDaemonPreparesStartsItsNamedTasksAndStopsThemAll() throws Exception {
        List<String> said = new CopyOnWriteArrayList<>();
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            trunk(forge);
            Daemon daemon = new Daemon(forge, said::add);
            Daemon.Prepared prepared = daemon.prepare(null);
            // A new data directory gets its first admin token, shown once.
            assertThat(prepared.createdAdminToken()).isNotBlank();
            assertThat(said).contains("  " + prepared.createdAdminToken());
            List<ApiToken> tokens = forge.archive().listTokens().call();
            assertThat(tokens).extracting(ApiToken::role).containsExactly("admin");
            // Every archive's tree is current before anyone reads it.
            assertThat(data.resolve("public/trunk/dists/noble/InRelease")).exists();

            daemon.start("http://0.0.0.0:8080", 0);
            assertThat(daemon.tasks())
                    .containsExactly(
                            "xz-regrouping",
                            "lease-expiry",
                            "archive-changes",
                            "pipeline-runner",
                            "rebuild-runner",
                            "gc");
            for (String task : daemon.tasks()) {
                assertThat(daemon.running(task)).as(task).isTrue();
            }
            // Install tests call back on the loopback address when the server listens on every interface.
            assertThat(forge.pipelines().baseUrl()).isEqualTo("http://127.0.0.1:8080");
            daemon.close();
            for (String task : daemon.tasks()) {
                assertThat(daemon.running(task)).as(task).isFalse();
            }
            assertThat(Thread.getAllStackTraces().keySet())
                    .extracting(Thread::getName)
                    .doesNotContain("lease-expiry", "archive-changes", "pipeline-runner", "rebuild-runner");
        }
    }

    /**
     * What 'ppa serve' runs by itself, with nobody asking: a pipeline whose daily schedule is due (its branch has a
     * commit no scheduled run saw) and a rebuild set whose daily schedule is due (it never ran).
     */
    @Test
    void theDaemonRunsDueSchedulesOfPipelinesAndRebuildSetsByItself(@TempDir Path repo) throws Exception {
        List<String> said = new CopyOnWriteArrayList<>();
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init()
                        .setDirectory(repo.toFile())
                        .setInitialBranch("main")
                        .call();
                Forge forge = Forge.open(ForgeConfig.of(data))) {
            trunk(forge);
            Files.writeString(
                    repo.resolve(".ppaforge.yml"), "archive: trunk\nseries: noble\ntriggers:\n  schedule: daily\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("first").setSign(false).call();
            forge.pipelines()
                    .create()
                    .name("scheduled")
                    .git(repo.toUri().toString())
                    .branch("main")
                    .file(null)
                    .call();
            forge.archive()
                    .createArchive()
                    .name("rebuilds")
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
            forge.qa()
                    .rebuilds()
                    .create(org.ppaforge.qa.rebuild.RebuildSetRequest.of(
                                    "nightly", "trunk", List.of("hello"), "rebuilds")
                            .withSchedule("daily"));
            Daemon daemon = new Daemon(forge, said::add);
            daemon.prepare(null);
            daemon.start("http://127.0.0.1:9", 0);
            try {
                long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (!(said.stream().anyMatch(l -> l.startsWith("pipeline run 1 of scheduled: "))
                        && said.stream().anyMatch(l -> l.startsWith("rebuild run 1 of nightly: ")))) {
                    assertThat(System.nanoTime())
                            .as("what the daemon said: " + said)
                            .isLessThan(until);
                    Thread.sleep(200);
                }
            } finally {
                daemon.close();
            }
            assertThat(forge.pipelines().runs("scheduled", 5))
                    .singleElement()
                    .satisfies(r -> assertThat(r.trigger()).isEqualTo("daily"));
            assertThat(forge.qa().rebuilds().runs("nightly", 5)).hasSize(1);
            assertThat(forge.qa().rebuilds().due(Instant.now()))
                    .extracting(x -> x.name())
                    .doesNotContain("nightly");
        }
    }

    @Test
    void aSecondStartKeepsTheTokensAndTheSeedIsIgnoredOnceTokensExist() throws Exception {
        List<String> said = new CopyOnWriteArrayList<>();
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Daemon first = new Daemon(forge, said::add);
            assertThat(first.prepare("seeded-admin-secret-0123456789abcdef").createdAdminToken())
                    .isEqualTo("seeded-admin-secret-0123456789abcdef");
            assertThat(said).contains("created the admin token from $PPAFORGE_ADMIN_TOKEN");
            said.clear();
            Daemon second = new Daemon(forge, said::add);
            assertThat(second.prepare("another").createdAdminToken()).isNull();
            assertThat(said).anyMatch(l -> l.startsWith("note: $PPAFORGE_ADMIN_TOKEN is ignored"));
            assertThat(forge.archive().listTokens().call()).hasSize(1);
        }
    }

    @Test
    void aKilledUploadsLeftoversAreSweptAtStart() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            trunk(forge);
        }
        // A temporary file a stopped process left in the pool's staging area.
        Path stale = Files.createDirectories(data.resolve("tmp")).resolve("include-stale");
        Files.createDirectories(stale);
        Files.writeString(stale.resolve("half.deb"), "x");
        Files.setLastModifiedTime(stale, FileTime.fromMillis(0));
        Files.setLastModifiedTime(stale.resolve("half.deb"), FileTime.fromMillis(0));
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            new Daemon(forge, line -> {}).prepare(null);
        }
        assertThat(stale).doesNotExist();
    }

    @Test
    @Timeout(120)
    void aScheduledBackupRunsOncePerDayAndSaysHowItWent(@TempDir Path target) throws Exception {
        char[] pass = "pass phrase".toCharArray();
        assertThatThrownBy(() -> new BackupSchedule(target, pass, "every hour"))
                .hasMessageContaining("--backup-schedule is daily or a cron expression");
        assertThatThrownBy(() -> new BackupSchedule(target, new char[0], "daily"))
                .hasMessageContaining("PPAFORGE_BACKUP_PASSPHRASE");
        BackupSchedule daily = new BackupSchedule(target, pass, "daily");
        List<String> said = new CopyOnWriteArrayList<>();
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            trunk(forge);
            Daemon daemon = new Daemon(forge, said::add);
            daemon.prepare(null);
            daemon.backups(daily).start("http://127.0.0.1:8080", 0);
            assertThat(daemon.tasks()).contains("backup");
            long until = System.nanoTime() + 60_000_000_000L;
            while (daily.last().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(daily.last())
                    .hasValueSatisfying(o -> assertThat(o.ok()).as(o.message()).isTrue());
            assertThat(forge.backups()).containsSame(daily);
            assertThat(said).anyMatch(l -> l.matches("backup \\S+: \\d+ files, \\d+ new blobs .*"));
            daemon.close();
        }
        var backups = Backups.at(target, pass).list();
        assertThat(backups).hasSize(1);
        // Judged against the newest backup in the target: not again the same day, again the next; cron by its minutes.
        Instant newest = backups.get(0).time();
        assertThat(daily.due(newest, newest.plusSeconds(60))).isFalse();
        assertThat(daily.due(newest, newest.plus(Duration.ofDays(1)))).isTrue();
        assertThat(daily.due(null, newest)).isTrue();
        BackupSchedule hourly = new BackupSchedule(target, pass, "0 * * * *");
        Instant at = Instant.parse("2026-12-03T10:00:30Z");
        assertThat(hourly.due(at, Instant.parse("2026-12-03T10:59:00Z"))).isFalse();
        assertThat(hourly.due(at, Instant.parse("2026-12-03T11:00:10Z"))).isTrue();
        assertThat(hourly.runIfDue(data, Instant.parse("2026-12-03T10:59:00Z").plus(Duration.ofDays(3650))))
                .satisfies(o -> assertThat(o.ok()).isTrue());
        assertThat(Backups.at(target, pass).list()).hasSize(2);
        assertThat(new BackupSchedule(target, "wrong".toCharArray(), "daily").runIfDue(data, Instant.now()))
                .satisfies(o -> {
                    assertThat(o.ok()).isFalse();
                    assertThat(o.message()).isEqualTo("backup failed: wrong passphrase for this backup target");
                });
    }
}
