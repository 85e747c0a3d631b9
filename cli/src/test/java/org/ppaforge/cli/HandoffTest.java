package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.deb.DebWriter;

/**
 * A local {@code ppa include} of a few files hands its work to the {@code ppa serve} that holds the data directory (real
 * processes): it goes over HTTP (the client's timing lines say so) with the server's own token; with
 * PPAFORGE_HANDOFF=0, after the server stopped (its file and token withdrawn), and with a file left by a killed server,
 * the command works in its own process and still includes.
 */
@Timeout(120)
class HandoffTest {
    @TempDir
    Path dir;

    private Path deb(String name) throws Exception {
        return deb(name, 0);
    }

    /** A .deb with {@code payloadBytes} of incompressible content (about that large). */
    private Path deb(String name, int payloadBytes) throws Exception {
        byte[] payload = new byte[payloadBytes];
        new java.util.Random(7).nextBytes(payload);
        Path f = dir.resolve(name + "_1.0-1_amd64.deb");
        Files.write(
                f,
                new DebWriter(Deb822Reader.parseSingle(
                                "Package: " + name
                                        + "\nVersion: 1.0-1\nArchitecture: amd64\nMaintainer: t <t@example.org>\n"
                                        + "Description: hand-off test\n x\n",
                                "test"))
                        .file("usr/share/doc/" + name + "/blob", payload)
                        .toBytes());
        return f;
    }

    private PpaProcesses.Result ppa(Path data, Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = PpaProcesses.ppa(data, args);
        pb.environment().remove("PPAFORGE_TOKEN");
        pb.environment().remove("PPAFORGE_SERVER");
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("PPAFORGE_TIMINGS", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new PpaProcesses.Result(p.waitFor(), out, err);
    }

    @Test
    void aLocalIncludeIsHandedToTheRunningServerAndWorksWithoutIt() throws Exception {
        Path data = dir.resolve("data");
        assertThat(ppa(data, Map.of(), "archive", "create", "trunk", "--series", "noble", "--arch", "amd64")
                        .exit())
                .isZero();
        ProcessBuilder serve =
                PpaProcesses.ppa(data, "serve", "--port", "0", "--workers", "0", "--max-upload-size", "16K");
        serve.environment().put("HOME", dir.toString());
        Process server = serve.redirectErrorStream(true).start();
        try {
            BufferedReader out = PpaProcesses.output(server);
            StringBuilder seen = new StringBuilder();
            var m = PpaProcesses.waitFor(out, "serving .* at (http://127\\.0\\.0\\.1:(\\d+))/", seen);
            assertThat(m).as(seen.toString()).isNotNull();
            String port = m.group(2);
            Path file = data.resolve(Handoff.FILE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");

            PpaProcesses.Result handed =
                    ppa(data, Map.of(), "include", "trunk", deb("one").toString());
            assertThat(handed.exit()).as(handed.toString()).isZero();
            assertThat(handed.out()).contains("binary  one 1.0-1 (amd64)");
            assertThat(handed.err()).contains("client timings:"); // it went over HTTP
            assertThat(handed.err()).doesNotContain("include timings:"); // ... and not through this process's core

            // A file larger than the server takes (its --max-upload-size): refused there with nothing changed, so
            // the command includes it itself, as it would without a server.
            PpaProcesses.Result big = ppa(
                    data, Map.of(), "include", "trunk", deb("large", 64 * 1024).toString());
            assertThat(big.exit()).as(big.toString()).isZero();
            assertThat(big.out()).contains("binary  large 1.0-1 (amd64)");
            assertThat(big.err()).contains("client timings:").contains("include timings:");

            PpaProcesses.Result here = ppa(
                    data,
                    Map.of("PPAFORGE_HANDOFF", "0"),
                    "include",
                    "trunk",
                    deb("two").toString());
            assertThat(here.exit()).as(here.toString()).isZero();
            assertThat(here.err()).doesNotContain("client timings:").contains("include timings:");

            PpaProcesses.Result tokens = ppa(data, Map.of(), "token", "list", "--json");
            assertThat(tokens.out()).contains("local-handoff-" + port);

            server.destroy(); // SIGTERM: a normal stop withdraws the file and the token
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(file).doesNotExist();
            PpaProcesses.Result after =
                    ppa(data, Map.of(), "include", "trunk", deb("three").toString());
            assertThat(after.exit()).as(after.toString()).isZero();
            assertThat(after.err()).doesNotContain("client timings:");
            String row = ppa(data, Map.of(), "token", "list")
                    .out()
                    .lines()
                    .filter(l -> l.startsWith("local-handoff-" + port + "-"))
                    .findFirst()
                    .orElseThrow();
            assertThat(row.split(" UTC", -1)).as(row).hasSize(3); // CREATED and REVOKED are both filled

            // Started again on the same port, the server hands off again (with a token of its own: names of revoked
            // tokens are not reused).
            ProcessBuilder again = PpaProcesses.ppa(data, "serve", "--port", port, "--workers", "0");
            again.environment().put("HOME", dir.toString());
            Process second = again.redirectErrorStream(true).start();
            try {
                BufferedReader out2 = PpaProcesses.output(second);
                StringBuilder seen2 = new StringBuilder();
                assertThat(PpaProcesses.waitFor(out2, "serving .* at http://127\\.0\\.0\\.1:" + port + "/", seen2))
                        .as(seen2.toString())
                        .isNotNull();
                assertThat(seen2.toString()).doesNotContain("will not hand their work");
                PpaProcesses.Result handedAgain =
                        ppa(data, Map.of(), "include", "trunk", deb("again").toString());
                assertThat(handedAgain.exit()).as(handedAgain.toString()).isZero();
                assertThat(handedAgain.err()).contains("client timings:");
                second.destroy();
                assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            } finally {
                second.destroyForcibly();
            }
            List<String> rows = ppa(data, Map.of(), "token", "list")
                    .out()
                    .lines()
                    .filter(l -> l.startsWith("local-handoff-" + port + "-"))
                    .toList();
            assertThat(rows).hasSize(2); // one per start, both withdrawn (CREATED and REVOKED filled)
            assertThat(rows)
                    .allSatisfy(r -> assertThat(r.split(" UTC", -1)).as(r).hasSize(3));

            // What a killed server leaves: its file names a process that is gone; the command works here.
            Files.writeString(file, "url=http://127.0.0.1:" + port + "\ntoken=stale\npid=2147483646\nstarted=\n");
            PpaProcesses.Result stale =
                    ppa(data, Map.of(), "include", "trunk", deb("four").toString());
            assertThat(stale.exit()).as(stale.toString()).isZero();
            assertThat(stale.err()).doesNotContain("client timings:");
            assertThat(ppa(data, Map.of(), "list", "trunk").out())
                    .contains("one", "two", "three", "four", "large", "again");
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void bulkWorkIsNotHandedOff() throws Exception {
        assertThat(IncludeCommand.small(List.of(deb("a")))).isTrue();
        assertThat(IncludeCommand.small(List.of(dir))).isFalse(); // a directory: bulk
        Path big = dir.resolve("big.deb");
        try (var ch = java.nio.channels.FileChannel.open(
                big, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {0}), 65L << 20);
        }
        assertThat(IncludeCommand.small(List.of(big))).isFalse();
    }
}
