package org.ppaforge.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.model.ApiToken;

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
                            "xz-regrouping", "lease-expiry", "archive-changes", "pipeline-runner", "rebuild-runner");
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
}
