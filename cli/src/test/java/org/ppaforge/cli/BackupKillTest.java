package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.testing.TinyDebs;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * A real {@code ppa backup create} killed with SIGKILL after its first pack is written: no backup exists, and the next
 * {@code ppa backup create} completes it, sending only what the killed one had not.
 */
@Timeout(180)
class BackupKillTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private static List<String> backup(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "backup"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private PpaProcesses.Result create(Path target, Path pass) throws Exception {
        PpaProcesses.Result r = PpaProcesses.run(
                work,
                null,
                List.of(
                        "backup",
                        "create",
                        target.toString(),
                        "--data-dir",
                        data.toString(),
                        "--passphrase-file",
                        pass.toString(),
                        "--json"));
        assertThat(r.exit()).as(r.err()).isZero();
        return r;
    }

    private static long sent(PpaProcesses.Result r) {
        return Long.parseLong(r.out().replaceAll("(?s).*\"objectsSent\"\\s*:\\s*(\\d+).*", "$1"));
    }

    @Test
    void aBackupKilledMidwayIsNoBackupAndTheNextOneSendsWhatItLacked() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
            // A package of 6 MB (a pack of its own, written first) and small ones (one pack, written at the end).
            ppa.include()
                    .archive("trunk")
                    .series("noble")
                    .files(List.of(TinyDebs.write(work, "big", "1.0", 6 << 20)))
                    .call();
            for (int i = 0; i < 5; i++) {
                ppa.include()
                        .archive("trunk")
                        .series("noble")
                        .files(List.of(TinyDebs.write(work, "small" + i, "1.0", 1000)))
                        .call();
            }
        }
        Path target = work.resolve("target");
        Path pass = Files.writeString(work.resolve("pass"), "the passphrase\n");
        ProcessBuilder pb = new ProcessBuilder(backup(
                        "create",
                        target.toString(),
                        "--data-dir",
                        data.toString(),
                        "--passphrase-file",
                        pass.toString()))
                .redirectErrorStream(true);
        pb.environment().put("PPAFORGE_TEST_PAUSE_AT", "backup-pack-written");
        Process p = pb.start();
        try {
            assertThat(PpaProcesses.waitFor(PpaProcesses.output(p), "paused backup-pack-written", new StringBuilder()))
                    .isNotNull();
        } finally {
            p.destroyForcibly(); // SIGKILL with one pack written, the rest in memory
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        try (Stream<Path> s = Files.list(target.resolve("packs"))) {
            assertThat(s.count()).isPositive();
        }
        assertThat(target.resolve("snapshots"))
                .satisfiesAnyOf(
                        d -> assertThat(d).doesNotExist(), d -> assertThat(d).isEmptyDirectory());

        PpaProcesses.Result list = PpaProcesses.run(
                work,
                null,
                List.of("backup", "list", target.toString(), "--passphrase-file", pass.toString(), "--json"));
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out().replaceAll("\\s", "")).isEqualTo("[]");

        PpaProcesses.Result resumed = create(target, pass);
        long sent = sent(resumed);
        // Everything but the big package, which the killed backup had written whole: a whole backup elsewhere sends one
        // blob more.
        PpaProcesses.Result whole = create(work.resolve("elsewhere"), pass);
        assertThat(sent).isEqualTo(sent(whole) - 1);
        PpaProcesses.Result verify = PpaProcesses.run(
                work,
                null,
                List.of("backup", "verify", target.toString(), "--read-data", "--passphrase-file", pass.toString()));
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("1 backup,").contains("all whole");
    }
}
