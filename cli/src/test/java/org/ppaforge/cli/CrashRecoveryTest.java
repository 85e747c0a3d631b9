package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.UploadRecord;
import org.ppaforge.archive.verb.ProcessUpload;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.deb.DebWriter;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * Real `ppa` processes killed with SIGKILL at the worst moments: an include after its commit, before its publish; a
 * server after an upload's .changes arrived whole, before it was processed. The next command, or the next start,
 * finishes the work; temporary files a kill left are removed at start.
 */
class CrashRecoveryTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private Path deb(String name, String version) throws Exception {
        var control = Deb822Reader.parseSingle(
                "Package: " + name + "\nVersion: " + version + "\nArchitecture: amd64\n"
                        + "Maintainer: T <t@example.org>\nDescription: test\n",
                name);
        Path f = work.resolve(name + "_" + version + "_amd64.deb");
        Files.write(
                f,
                new DebWriter(control)
                        .file("usr/share/doc/" + name + "/README", version.getBytes())
                        .toBytes());
        return f;
    }

    private String packages() throws Exception {
        return Files.readString(data.resolve("public/trunk/dists/noble/main/binary-amd64/Packages"));
    }

    @Test
    void anIncludeKilledBetweenItsCommitAndItsPublishIsPublishedByTheNextCommand() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.include()
                    .archive("trunk")
                    .series("noble")
                    .files(List.of(deb("tool", "1.0")))
                    .call();
        }
        ProcessBuilder pb = PpaProcesses.ppa(
                        data,
                        "include",
                        "trunk",
                        "--series",
                        "noble",
                        deb("tool", "2.0").toString())
                .redirectErrorStream(true);
        pb.environment().put("PPAFORGE_TEST_PAUSE_AT", "after-commit");
        Process p = pb.start();
        try {
            assertThat(PpaProcesses.waitFor(PpaProcesses.output(p), "paused after-commit", new StringBuilder()))
                    .isNotNull();
        } finally {
            p.destroyForcibly(); // SIGKILL: committed, never published
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(packages())
                .contains("Version: 1.0\n")
                .doesNotContain("Version: 2.0\n"); // the tree is behind the store

        Process list = PpaProcesses.ppa(data, "list", "trunk").start();
        String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(list.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(list.waitFor()).isZero();
        assertThat(out).contains("2.0");
        assertThat(err).contains("published trunk: its last change had not been published");
        assertThat(packages()).contains("Version: 2.0\n").doesNotContain("Version: 1.0\n");

        // Once published, the next command has nothing to finish.
        Process again = PpaProcesses.ppa(data, "list", "trunk").start();
        again.getInputStream().readAllBytes();
        assertThat(new String(again.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .doesNotContain("published trunk");
        assertThat(again.waitFor()).isZero();
    }

    @Test
    void anUploadWholeInTheQueueWhenTheServerWasKilledIsProcessedAtTheNextStart() throws Exception {
        Path gnupg = work.resolve("gnupg");
        Path key = Tools.gpgPublicKey(gnupg, "Pat <pat@example.org>", work.resolve("pat.asc"));
        String token;
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.addUploader()
                    .archive("trunk")
                    .key(Files.readAllBytes(key), "pat.asc")
                    .call();
            token = ppa.createToken()
                    .name("ci")
                    .role("uploader")
                    .archive("trunk")
                    .call()
                    .secret();
        }
        Path deb = deb("queued", "1.0");
        Path changes = signedChanges(gnupg, deb, "queued", "1.0");

        ProcessBuilder first = PpaProcesses.ppa(data, "serve", "--port", "0").redirectErrorStream(true);
        first.environment().put("PPAFORGE_TEST_PAUSE_AT", "before-processing");
        Process server = first.start();
        var out = PpaProcesses.output(server);
        StringBuilder seen = new StringBuilder();
        try {
            Matcher url = PpaProcesses.waitFor(out, "ppaforge serving .* at (http://127\\.0\\.0\\.1:\\d+)/$", seen);
            assertThat(url).as(seen.toString()).isNotNull();
            HttpClient http = HttpClient.newHttpClient();
            assertThat(put(http, url.group(1), deb, token).statusCode()).isEqualTo(201);
            CompletableFuture<HttpResponse<String>> last =
                    http.sendAsync(request(url.group(1), changes, token), HttpResponse.BodyHandlers.ofString());
            assertThat(PpaProcesses.waitFor(out, "paused before-processing", seen))
                    .as(seen.toString())
                    .isNotNull();
            server.destroyForcibly(); // SIGKILL: the .changes is whole in the queue, never processed
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(last).failsWithin(10, TimeUnit.SECONDS);
        } finally {
            server.destroyForcibly();
        }
        assertThat(data.resolve("incoming/trunk/@ci").resolve(changes.getFileName()))
                .exists(); // the uploader's own queue
        // What else a kill leaves: a spool file, a temporary file in the tree, an include work directory.
        Path part = Files.writeString(data.resolve("incoming/trunk/.part-big.orig.tar.xz-1-1"), "half");
        Path tmp = Files.writeString(data.resolve("public/trunk/dists/noble/.tmp-InRelease-1-1"), "half");
        Path include = Files.createDirectories(data.resolve("tmp/include-123"));
        Files.writeString(include.resolve("x.deb"), "half");
        Path coverage = Files.createDirectories(data.resolve("tmp/coverage-456")); // a killed coverage upload
        Files.writeString(coverage.resolve("big.info"), "SF:a.c\n");
        Path spool = Files.createDirectories(data.resolve("tmp/include-789.spool")); // a killed multipart body's parts
        Files.writeString(spool.resolve("undertow1upload"), "half");
        for (Path old : List.of(part, tmp, include, coverage, spool)) {
            Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(600)));
        }

        ProcessBuilder second = PpaProcesses.ppa(data, "serve", "--port", "0").redirectErrorStream(true);
        second.environment().put("PPAFORGE_ADMIN_TOKEN", "ignored-because-tokens-exist");
        server = second.start();
        out = PpaProcesses.output(server);
        seen = new StringBuilder();
        try {
            assertThat(PpaProcesses.waitFor(out, "ppaforge serving", seen))
                    .as(seen.toString())
                    .isNotNull();
        } finally {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(seen.toString())
                .contains("processed an upload left in the queue: trunk/" + changes.getFileName()
                        + ": Accepted queued 1.0 into trunk/noble")
                .contains("removed 5 temporary file(s)")
                .contains("$PPAFORGE_ADMIN_TOKEN is ignored: tokens exist already");
        assertThat(part).doesNotExist();
        assertThat(tmp).doesNotExist();
        assertThat(include).doesNotExist();
        assertThat(coverage).doesNotExist();
        assertThat(spool).doesNotExist();
        try (Stream<Path> queue = Files.walk(data.resolve("incoming/trunk"))) {
            assertThat(queue.filter(Files::isRegularFile)).isEmpty();
        }
        assertThat(packages()).contains("Package: queued\n");
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            List<UploadRecord> log = ppa.listUploads().archive("trunk").call();
            assertThat(log).singleElement().satisfies(u -> {
                assertThat(u.status()).isEqualTo(UploadRecord.ACCEPTED);
                assertThat(u.tokenName()).isEqualTo(ProcessUpload.RECOVERED);
            });
        }
    }

    private static HttpRequest request(String base, Path file, String token) throws Exception {
        return HttpRequest.newBuilder(URI.create(base + "/upload/trunk/" + file.getFileName()))
                .header("Authorization", "Bearer " + token)
                .PUT(HttpRequest.BodyPublishers.ofFile(file))
                .build();
    }

    private static HttpResponse<String> put(HttpClient http, String base, Path file, String token) throws Exception {
        return http.send(request(base, file, token), HttpResponse.BodyHandlers.ofString());
    }

    /** A binary-only .changes for {@code deb}, clearsigned by the key in {@code gnupg}. */
    private Path signedChanges(Path gnupg, Path deb, String name, String version) throws Exception {
        Checksums c = Checksums.of(deb);
        long size = Files.size(deb);
        String file = deb.getFileName().toString();
        String text = "Format: 1.8\nDate: Wed, 02 Dec 2026 10:00:00 +0000\nSource: " + name + "\nBinary: " + name
                + "\nArchitecture: amd64\nVersion: " + version + "\nDistribution: noble\nUrgency: medium\n"
                + "Maintainer: Pat <pat@example.org>\nChanged-By: Pat <pat@example.org>\nDescription:\n " + name
                + " - test\n"
                + "Changes:\n " + name + " (" + version + ") noble; urgency=medium\n .\n   * Test.\n"
                + "Checksums-Sha1:\n " + c.sha1() + " " + size + " " + file + "\n"
                + "Checksums-Sha256:\n " + c.sha256() + " " + size + " " + file + "\n"
                + "Files:\n " + c.md5() + " " + size + " misc optional " + file + "\n";
        Path unsigned = work.resolve(name + "_" + version + "_amd64.changes.in");
        Files.writeString(unsigned, text);
        Path signed = work.resolve(name + "_" + version + "_amd64.changes");
        Tools.run(
                        work,
                        null,
                        List.of(
                                "gpg",
                                "--batch",
                                "--homedir",
                                gnupg.toString(),
                                "--pinentry-mode",
                                "loopback",
                                "--passphrase",
                                "",
                                "--clearsign",
                                "--output",
                                signed.toString(),
                                unsigned.toString()))
                .orFail("gpg --clearsign");
        return signed;
    }
}
