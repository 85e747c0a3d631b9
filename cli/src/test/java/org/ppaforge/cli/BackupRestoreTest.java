package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.testing.AptClient;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.debian.testing.RealDebs;
import org.ppaforge.debian.testing.SourcePackages;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.CompleteBuild;
import org.ppaforge.forge.Daemon;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.pipeline.Pipeline;
import org.ppaforge.pipeline.Run;
import org.ppaforge.server.PpaServer;

/**
 * A data directory with a public and a private archive of real Debian packages, backed up with {@code ppa backup}
 * while its server runs, changed, backed up again, restored into a new directory and served from there: real
 * {@code apt-get update} and {@code apt-get download} with the keys and the reader token of the original installation.
 */
class BackupRestoreTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private static PpaProcesses.Result ppa(Path home, String... args) throws Exception {
        return PpaProcesses.run(home, null, List.of(args));
    }

    private static String readQuietly(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Test
    void aRestoredInstallationServesTheSameArchivesWithTheSameKeys() throws Exception {
        List<Path> debs = RealDebs.download(work.resolve("debs"), List.of("hello", "sl", "cowsay"));
        Path target = work.resolve("drive/ppaforge");
        Path pass = Files.writeString(work.resolve("pass"), "a long backup passphrase\n");
        String trunkSources;
        String hushSources;
        String reader;
        long buildId;
        long runId;
        List<String> secrets = new ArrayList<>();
        try (Forge forge = Forge.open(ForgeConfig.of(data));
                PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
            Ppaforge ppa = forge.archive();
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.createArchive()
                    .name("hush")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.configureArchive().archive("hush").privateArchive(true).call();
            ppa.include()
                    .archive("trunk")
                    .series("bookworm")
                    .files(List.of(debs.get(0)))
                    .call();
            ppa.include()
                    .archive("hush")
                    .series("bookworm")
                    .files(List.of(debs.get(1)))
                    .call();
            // A build that failed, with its log; a pipeline run with a step log and an artifact; a coverage report.
            Path chroot = Files.writeString(work.resolve("fake.tar.zst"), "not really a chroot");
            forge.farm()
                    .createChroot()
                    .series("bookworm")
                    .architecture("amd64")
                    .tarball(chroot)
                    .call();
            Path changes = SourcePackages.buildSourceUpload(work.resolve("src"), "tool", "1.0", "1", "bookworm");
            ppa.include()
                    .archive("trunk")
                    .series("bookworm")
                    .files(List.of(changes))
                    .call();
            Build build = forge.farm()
                    .lease()
                    .worker("w1")
                    .architectures(List.of("amd64"))
                    .call()
                    .orElseThrow()
                    .build();
            buildId = build.id();
            forge.farm().logs().append(buildId, "compiling tool 1.0-1...\n");
            forge.farm()
                    .complete()
                    .build(buildId)
                    .worker("w1")
                    .outcome(CompleteBuild.Outcome.FAILED)
                    .message("make: *** [all] Error 2")
                    .call();
            var pipelines = forge.pipelines();
            pipelines
                    .store()
                    .insertPipeline(new Pipeline(
                            "mytool",
                            "https://example.org/mytool.git",
                            "main",
                            ".ppaforge.yml",
                            "ABCD",
                            Instant.now()));
            runId = pipelines.store().insertRun("mytool", "push", "main", null, Instant.now());
            pipelines.appendLog(runId, "check", "ran the tests: 12 passed\n");
            Files.createDirectories(pipelines.artifacts(runId));
            Files.writeString(pipelines.artifacts(runId).resolve("report.txt"), "12 passed");
            pipelines.store().finishRun(runId, Run.PASSED, "promoted", Instant.now());
            Path lcov = Files.writeString(work.resolve("c.info"), "SF:src/a.c\nDA:1,1\nDA:2,0\nend_of_record\n");
            forge.qa()
                    .uploadCoverage()
                    .project("mytool")
                    .archive("trunk")
                    .commit("aaaa1111")
                    .files(List.of(lcov))
                    .call();
            reader = ppa.createToken()
                    .name("ci")
                    .role("reader")
                    .archive("hush")
                    .call()
                    .secret();
            trunkSources =
                    ppa.aptSources().archive("trunk").url("http://SERVER").call();
            hushSources = ppa.aptSources().archive("hush").url("http://SERVER").call();
            try (Stream<Path> keys = Files.list(data.resolve("keys"))) {
                for (Path k : keys.toList()) {
                    String text = Files.readString(k, StandardCharsets.ISO_8859_1);
                    secrets.add(text.substring(Math.min(text.length(), 80), Math.min(text.length(), 140)));
                }
            }

            // Backed up while the server runs; then a change; then again: only what changed is sent.
            PpaProcesses.Result first = ppa(
                    work,
                    "backup",
                    "create",
                    target.toString(),
                    "--data-dir",
                    data.toString(),
                    "--passphrase-file",
                    pass.toString());
            assertThat(first.exit()).as(first.err()).isZero();
            assertThat(first.out()).containsPattern("backup \\S+: \\d+ files .* and \\d+ tables; \\d+ new blobs");
            ppa.include()
                    .archive("trunk")
                    .series("bookworm")
                    .files(List.of(debs.get(2)))
                    .call();
            PpaProcesses.Result second = ppa(
                    work,
                    "backup",
                    "create",
                    target.toString(),
                    "--data-dir",
                    data.toString(),
                    "--passphrase-file",
                    pass.toString(),
                    "--json");
            assertThat(second.exit()).as(second.err()).isZero();
            long sent = Long.parseLong(second.out().replaceAll("(?s).*\"objectsSent\"\\s*:\\s*(\\d+).*", "$1"));
            long firstSent = Long.parseLong(first.out().replaceAll("(?s).*; (\\d+) new blobs.*", "$1"));
            assertThat(sent).isGreaterThan(0).isLessThan(firstSent / 2);
            assertThat(server.port()).isPositive();
        }

        // No secret key and no package name in the target in clear.
        for (String s : secrets) {
            assertThat(contains(target, s)).as("a secret key's bytes").isFalse();
        }
        for (Path deb : debs) {
            byte[] head = Files.readAllBytes(deb);
            assertThat(contains(target, new String(head, 200, 60, StandardCharsets.ISO_8859_1)))
                    .as(deb.getFileName() + " in clear")
                    .isFalse();
        }
        PpaProcesses.Result list = ppa(work, "backup", "list", target.toString(), "--passphrase-file", pass.toString());
        assertThat(list.out().lines().count()).isEqualTo(3); // a header and two backups
        PpaProcesses.Result verify =
                ppa(work, "backup", "verify", target.toString(), "--read-data", "--passphrase-file", pass.toString());
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("2 backups").contains("all whole");
        PpaProcesses.Result wrong = ppa(work, "backup", "list", target.toString());
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("PPAFORGE_BACKUP_PASSPHRASE or --passphrase-file");

        // Restored into a new directory and served from there.
        Path restored = work.resolve("restored");
        PpaProcesses.Result r = ppa(
                work,
                "backup",
                "restore",
                target.toString(),
                "--to",
                restored.toString(),
                "--passphrase-file",
                pass.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("restored backup ");
        try (Forge forge = Forge.open(ForgeConfig.of(restored))) {
            // The build with its log, the pipeline run with its log and artifact, the coverage came back.
            assertThat(forge.farm().logs().read(buildId, 0).text()).contains("compiling tool 1.0-1");
            assertThat(forge.farm().store().get(buildId).orElseThrow().state()).isEqualTo(BuildState.FAILED_TO_BUILD);
            assertThat(forge.pipelines().run(runId).state()).isEqualTo(Run.PASSED);
            assertThat(forge.pipelines().stepLog(runId, "check", 0).text()).contains("12 passed");
            assertThat(forge.pipelines().artifacts(runId).resolve("report.txt")).hasContent("12 passed");
            assertThat(forge.qa()
                            .showCoverage()
                            .project("mytool")
                            .call()
                            .summary()
                            .commit())
                    .isEqualTo("aaaa1111");
            Daemon.Prepared prepared = new Daemon(forge, line -> {}).prepare(null);
            assertThat(prepared.createdAdminToken()).isNull(); // its tokens came back with it
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                String base = "http://127.0.0.1:" + server.port();
                AptClient trunk = new AptClient(work.resolve("apt-trunk"), trunkSources.replace("http://SERVER", base));
                var updated = trunk.update().orFail("apt-get update of the restored trunk");
                // (This once found no hello in a full run, and never again: if it does, say what apt got.)
                assertThat(trunk.policy("hello"))
                        .as(() -> "apt-get update said:\n" + updated.out() + updated.err()
                                + "\nthe server's Packages:\n"
                                + readQuietly(
                                        restored.resolve("public/trunk/dists/bookworm/main/binary-amd64/Packages")))
                        .contains("Candidate:");
                assertThat(trunk.policy("cowsay")).contains("Candidate:");
                trunk.run("apt-get", "download", "hello").orFail("apt-get download hello");
                try (Stream<Path> got = Files.list(trunk.dir())) {
                    Path hello = got.filter(p -> p.getFileName().toString().startsWith("hello_"))
                            .findFirst()
                            .orElseThrow();
                    assertThat(Checksums.of(hello).sha256())
                            .isEqualTo(Checksums.of(debs.get(0)).sha256());
                }
                AptClient hush = new AptClient(work.resolve("apt-hush"), hushSources.replace("http://SERVER", base));
                hush.authConf("machine " + base + "/hush login ci password " + reader + "\n");
                hush.update().orFail("apt-get update of the restored private archive");
                hush.run("apt-get", "download", "sl").orFail("apt-get download sl");
            }
        }
    }

    /** Whether any file under {@code dir} holds {@code text} (bytes read as ISO-8859-1: one char per byte). */
    private static boolean contains(Path dir, String text) throws IOException {
        String needle = new String(text.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(needle)) {
                    return true;
                }
            }
        }
        return false;
    }
}
