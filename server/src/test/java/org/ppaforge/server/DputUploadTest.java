package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.UploadRecord;
import org.ppaforge.archive.testing.AptClient;
import org.ppaforge.archive.upload.UploadLimits;
import org.ppaforge.archive.verb.History;
import org.ppaforge.archive.verb.ListPackages;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * Uploads with the real dput client (Debian's dput, method http) to a server on 127.0.0.1:
 * source packages built with dpkg-buildpackage and signed with gpg or debsign under a
 * throwaway GNUPGHOME, the token given at dput's password prompt on stdin; then each
 * rejection, as a packager sees it, with nothing left behind.
 */
class DputUploadTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private Forge forge;

    Ppaforge ppa;
    PpaServer server;
    String base;
    Path gnupg;
    Map<String, String> env;
    String uploader;
    String token;
    int builds;

    @BeforeEach
    void start() throws Exception {
        forge = Forge.open(ForgeConfig.of(data));
        ppa = forge.archive();
        ppa.createArchive()
                .name("trunk")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        gnupg = Files.createDirectory(
                work.resolve("gnupg"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        env = Map.of("GNUPGHOME", gnupg.toString(), "DEBEMAIL", "pat@example.org", "DEBFULLNAME", "Pat Packager");
        uploader = newKey("Pat Packager <pat@example.org>", "1y");
        ppa.addUploader().archive("trunk").key(exportKey(uploader), "pat.asc").call();
        token = ppa.createToken()
                .name("pat")
                .role("uploader")
                .archive("trunk")
                .call()
                .secret();
        server = new PpaServer(forge, "127.0.0.1", 0).start();
        base = "http://127.0.0.1:" + server.port();
    }

    /**
     * The server again, on the same data directory, with other settings (limits and the clock are fixed when the forge
     * opens) and this write log.
     */
    private void restart(ArchiveSettings settings, Consumer<String> log) throws Exception {
        server.close();
        forge.close();
        forge = Forge.open(ForgeConfig.of(data).withArchive(settings));
        ppa = forge.archive();
        server = new PpaServer(forge, "127.0.0.1", 0, PpaServer.Timeouts.DEFAULT, null, log).start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        forge.close();
    }

    @Test
    void signedUploadsFromRealDputArePublishedAndAptDownloadsThem() throws Exception {
        // Source only, signed by dpkg-buildpackage itself.
        Path changes = build("1.0-1", "noble", "hello\n", false, uploader);
        Tools.Result r = dput(changes, token);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .contains("need authentication")
                .contains("Uploading hello_1.0-1_source.changes: done")
                .contains("Successfully uploaded");
        assertThat(published()).containsExactly("hello 1.0-1");

        // Source and binary, built unsigned and signed afterwards with debsign.
        Path full = build("1.0-2", "noble", "hello\n", true, null);
        Tools.run(
                        full.getParent(),
                        null,
                        env,
                        List.of("debsign", "-k" + uploader, full.getFileName().toString()))
                .orFail("debsign");
        r = dput(full, token);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(published()).containsExactly("hello 1.0-2 [hello]");

        List<UploadRecord> log = ppa.listUploads().archive("trunk").call();
        assertThat(log).extracting(UploadRecord::status).containsExactly("accepted", "accepted");
        assertThat(log.get(0).changes()).isEqualTo("hello_1.0-2_amd64.changes");
        assertThat(log.get(0).signer()).isEqualTo(uploader);
        assertThat(log.get(0).tokenName()).isEqualTo("pat");
        assertThat(incoming()).isEmpty();
        // The history tells who: an upload, by its signer (user ID and fingerprint) with its token's name.
        History.Entry latest = ppa.history().archive("trunk").source("hello").call().stream()
                .filter(e -> e.version().equals("1.0-2"))
                .findFirst()
                .orElseThrow();
        assertThat(latest.origin()).isEqualTo("upload");
        assertThat(latest.createdBy()).isEqualTo("Pat Packager <pat@example.org> (" + uploader + ") with token 'pat'");

        // What the upload published, apt fetches over http.
        AptClient apt = new AptClient(
                work.resolve("apt"), ppa.aptSources().archive("trunk").url(base).call());
        apt.update().orFail("apt-get update");
        assertThat(apt.policy("hello")).contains("Candidate: 1.0-2");
        apt.run("apt-get", "download", "hello").orFail("apt-get download");
        assertThat(Checksums.of(apt.dir().resolve("hello_1.0-2_all.deb")).sha256())
                .isEqualTo(
                        Checksums.of(full.resolveSibling("hello_1.0-2_all.deb")).sha256());
        assertThat(apt.run("apt-cache", "showsrc", "hello").orFail("showsrc").out())
                .contains("Version: 1.0-2");
    }

    @Test
    void overHttpsRealDputUploadsAndRealAptInstallsWithTheCertificateTrusted() throws Exception {
        Path[] pem = Tools.selfSignedCertificate(work.resolve("tls"));
        try (PpaServer https =
                new PpaServer(forge, "127.0.0.1", 0, PpaServer.Timeouts.DEFAULT, Tls.context(pem[0], pem[1])).start()) {
            assertThat(https.scheme()).isEqualTo("https");
            String at = "https://127.0.0.1:" + https.port();
            // dput's https method checks the certificate: without trusting it the upload fails, nothing arrives.
            Path changes = build("1.0-1", "noble", "hello\n", true, uploader);
            Tools.Result untrusted = dput(https, "https", Map.of(), changes, token);
            assertThat(untrusted.exit()).isNotZero();
            assertThat(untrusted.out() + untrusted.err()).contains("CERTIFICATE_VERIFY_FAILED");
            assertThat(published()).isEmpty();
            Tools.Result ok = dput(https, "https", Map.of("SSL_CERT_FILE", pem[0].toString()), changes, token);
            assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
            assertThat(ok.out())
                    .contains("Uploading to ppaforge (via https to 127.0.0.1:" + https.port() + ")")
                    .contains("Successfully uploaded");
            assertThat(published()).containsExactly("hello 1.0-1 [hello]");

            AptClient apt = new AptClient(
                            work.resolve("apt-https"),
                            ppa.aptSources().archive("trunk").url(at).call())
                    .option("Acquire::https::CaInfo=" + pem[0]);
            apt.update().orFail("apt-get update over https");
            assertThat(apt.policy("hello"))
                    .contains("Candidate: 1.0-1")
                    .contains(at + "/trunk noble/main amd64 Packages");
            apt.run("apt-get", "download", "hello").orFail("apt-get download over https");
            assertThat(Checksums.of(apt.dir().resolve("hello_1.0-1_all.deb")).sha256())
                    .isEqualTo(Checksums.of(changes.resolveSibling("hello_1.0-1_all.deb"))
                            .sha256());
            // Plain HTTP to the HTTPS port gets no answer it could use.
            Tools.Result plain = Tools.run(
                    work,
                    "curl",
                    "-sS",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code}",
                    "--max-time",
                    "10",
                    "http://127.0.0.1:" + https.port() + "/trunk/dists/noble/InRelease");
            assertThat(plain.out()).isIn("000", "400");
        }
    }

    @Test
    void stoppingLetsAnUploadInFlightFinishAndTurnsNewRequestsAway() throws Exception {
        String basic = Base64.getEncoder().encodeToString(("pat:" + token).getBytes(StandardCharsets.UTF_8));
        byte[] body = "0123456789".getBytes(StandardCharsets.US_ASCII);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("PUT /upload/trunk/hello_9.9-1.dsc HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + basic
                            + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 5);
            out.flush();
            // In flight, proven: the queue is writing its spool file for this upload.
            Path queue = data.resolve("incoming/trunk");
            for (int i = 0;
                    i < 300
                            && !(Files.isDirectory(queue)
                                    && incoming().stream().anyMatch(n -> n.startsWith(".part-hello_9.9-1.dsc")));
                    i++) {
                Thread.sleep(10);
            }
            assertThat(incoming()).anyMatch(n -> n.startsWith(".part-hello_9.9-1.dsc"));
            var closing = CompletableFuture.runAsync(server::close);
            // Stopping, proven: new requests are turned away (asked until they are, a bounded number of times).
            int late = 0;
            for (int i = 0; i < 300 && late != 503; i++) {
                late = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(base + "/trunk/key.asc"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            }
            assertThat(late).as("a new request while stopping").isEqualTo(503);
            assertThat(closing.isDone())
                    .as("close waits for the upload in flight")
                    .isFalse();
            out.write(body, 5, 5);
            out.flush();
            String status =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(status).startsWith("HTTP/1.1 201");
            closing.get(30, TimeUnit.SECONDS);
        }
        assertThat(incoming()).containsExactly("hello_9.9-1.dsc");
    }

    @Test
    void eachRejectionSaysWhyAndLeavesNothingBehind() throws Exception {
        Path first = build("1.0-1", "noble", "hello\n", false, uploader);
        assertThat(dput(first, token).exit()).isZero();
        int logged = 1;

        // The same upload again (dput -f): a version the archive publishes is refused, as Launchpad and dak do.
        rejected(
                first,
                409,
                "Version 1.0-1 of hello is not newer than 1.0-1 in trunk/noble: upload a new version",
                "-f");
        logged++;

        // A wrong token: dput asked for the password, and the server said no.
        Tools.Result r = dput(build("1.0-5", "noble", "hello\n", false, uploader), "not-a-token");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("Upload failed as unauthorized: unknown token");

        // Unsigned (dput itself allows it here: allow_unsigned_uploads = 1).
        rejected(build("1.0-5", "noble", "hello\n", false, null), 403, "hello_1.0-5_source.changes is not signed");
        logged++;

        // Signed by a key that is not in the archive's uploaders keyring.
        String stranger = newKey("Stranger <stranger@example.org>", "1y");
        rejected(
                build("1.0-5", "noble", "hello\n", false, stranger),
                403,
                "Signing key " + stranger + " of hello_1.0-5_source.changes is not an uploader of trunk");
        logged++;

        // Changed after signing (dput -u: dput's own check would catch it first).
        Path tampered = build("1.0-5", "noble", "hello\n", false, uploader);
        Files.writeString(
                tampered,
                Files.readString(tampered)
                        .replace("urgency=medium", "urgency=high")
                        .replace("Urgency: medium", "Urgency: high"));
        rejected(
                tampered,
                403,
                "The signature on hello_1.0-5_source.changes by key " + uploader + " does not verify",
                "-u");
        logged++;

        // A SHA256 that does not match the uploaded file (dput checks only the MD5 sums).
        Path badSum = build("1.0-5", "noble", "hello\n", false, null);
        String text = Files.readString(badSum);
        String orig = "hello_1.0.orig.tar.gz";
        String realSha = Checksums.of(badSum.resolveSibling(orig)).sha256();
        Files.writeString(badSum, text.replace(" " + realSha + " ", " " + "0".repeat(64) + " "));
        Tools.run(
                        badSum.getParent(),
                        null,
                        env,
                        List.of("debsign", "-k" + uploader, badSum.getFileName().toString()))
                .orFail("debsign");
        rejected(
                badSum,
                400,
                "File " + orig + " has a SHA256 mismatch: hello_1.0-5_source.changes lists " + "0".repeat(64)
                        + ", the uploaded file has " + realSha);
        logged++;

        // A SHA1 that does not match (its SHA256 and MD5 do).
        Path badSha1 = build("1.0-5", "noble", "hello\n", false, null);
        String realSha1 = Checksums.of(badSha1.resolveSibling(orig)).sha1();
        Files.writeString(badSha1, Files.readString(badSha1).replace(" " + realSha1 + " ", " " + "0".repeat(40) + " "));
        Tools.run(
                        badSha1.getParent(),
                        null,
                        env,
                        List.of(
                                "debsign",
                                "-k" + uploader,
                                badSha1.getFileName().toString()))
                .orFail("debsign");
        rejected(
                badSha1,
                400,
                "File " + orig + " has a SHA1 mismatch: hello_1.0-5_source.changes lists " + "0".repeat(40)
                        + ", the uploaded file has " + realSha1);
        logged++;

        // Size and MD5: dput refuses to send such files itself, a client of the HTTP queue need not (curl-style PUTs).
        Path badMd5 = build("1.0-5", "noble", "hello\n", false, null);
        String realMd5 = Checksums.of(badMd5.resolveSibling(orig)).md5();
        Files.writeString(badMd5, Files.readString(badMd5).replace(" " + realMd5 + " ", " " + "0".repeat(32) + " "));
        Tools.run(
                        badMd5.getParent(),
                        null,
                        env,
                        List.of("debsign", "-k" + uploader, badMd5.getFileName().toString()))
                .orFail("debsign");
        HttpResponse<String> md5 = putAll(badMd5);
        assertThat(md5.statusCode()).as(md5.body()).isEqualTo(400);
        assertThat(md5.body())
                .contains("Reason: File " + orig + " has a MD5 mismatch: hello_1.0-5_source.changes lists "
                        + "0".repeat(32) + ", the uploaded file has " + realMd5);
        logged++;
        Path badSize = build("1.0-5", "noble", "hello\n", false, uploader);
        long size = Files.size(badSize.resolveSibling(orig));
        Files.write(badSize.resolveSibling(orig), new byte[] {0}, StandardOpenOption.APPEND);
        HttpResponse<String> sized = putAll(badSize);
        assertThat(sized.statusCode()).as(sized.body()).isEqualTo(400);
        assertThat(sized.body())
                .contains("Reason: File " + orig + " has the wrong size: " + (size + 1) + " bytes uploaded, " + size
                        + " listed in hello_1.0-5_source.changes");
        logged++;
        assertThat(incoming()).isEmpty();

        // A .dsc signed by a key that is not an uploader, inside a .changes signed by one: refused by the .dsc's
        // signature.
        Path strangeDsc = build("1.0-5", "noble", "hello\n", false, null);
        Tools.run(
                        strangeDsc.getParent(),
                        null,
                        env,
                        List.of(
                                "debsign",
                                "-k" + stranger,
                                strangeDsc.getFileName().toString()))
                .orFail("debsign (stranger)");
        // Only the .changes is signed again, by the uploader.
        Path plain = strangeDsc.resolveSibling(strangeDsc.getFileName() + ".in");
        Files.writeString(
                plain,
                Tools.run(
                                strangeDsc.getParent(),
                                null,
                                env,
                                List.of("gpg", "--batch", "--decrypt", strangeDsc.toString()))
                        .orFail("gpg --decrypt")
                        .out());
        Tools.run(
                        strangeDsc.getParent(),
                        null,
                        env,
                        List.of(
                                "gpg",
                                "--batch",
                                "--yes",
                                "-u",
                                uploader,
                                "--clearsign",
                                "--output",
                                strangeDsc.toString(),
                                plain.toString()))
                .orFail("gpg --clearsign (uploader)");
        Files.delete(plain);
        rejected(strangeDsc, 403, "Signing key " + stranger + " of hello_1.0-5.dsc is not an uploader of trunk", "-u");
        logged++;

        // A series the archive does not have.
        rejected(
                build("1.0-5", "jammy", "hello\n", false, uploader),
                400,
                "Distribution jammy in hello_1.0-5_source.changes is not a series of trunk (its series: noble)");
        logged++;

        // Older than what the series publishes.
        rejected(
                build("0.9-1", "noble", "hello\n", false, uploader),
                409,
                "Version 0.9-1 of hello is older than 1.0-1 in trunk/noble");
        logged++;

        // The same upstream tarball name with other content.
        rejected(
                build("1.0-6", "noble", "hello, changed\n", false, uploader),
                409,
                "file 'hello_1.0.orig.tar.gz' already exists in archive 'trunk' with different content");
        logged++;

        // Expired and revoked uploader keys (dput -u: its own check would refuse them too).
        // A key valid for a day, used today, and the upload judged two days on (the server's clock moved, so no test
        // waits for a key to expire, and no build has to finish before it does).
        String shortLived = newKey("Short Lived <short@example.org>", "1d");
        ppa.addUploader()
                .archive("trunk")
                .key(exportKey(shortLived), "short.asc")
                .call();
        Path late = build("1.0-5", "noble", "hello\n", false, shortLived);
        restart(ArchiveSettings.of(data).withClock(Clock.offset(Clock.systemUTC(), Duration.ofDays(2))), line -> {});
        rejected(
                late,
                403,
                "Signing key " + shortLived + " (Short Lived <short@example.org>) of hello_1.0-5_source.changes "
                        + "cannot be trusted: it expired on",
                "-u");
        restart(ArchiveSettings.of(data), line -> {});
        logged++;
        String revokedKey = newKey("Revoked <revoked@example.org>", "1y");
        ppa.addUploader()
                .archive("trunk")
                .key(exportKey(revokedKey), "revoked.asc")
                .call();
        Path signedBeforeRevocation = build("1.0-5", "noble", "hello\n", false, revokedKey);
        String cert = Files.readString(gnupg.resolve("openpgp-revocs.d").resolve(revokedKey + ".rev"))
                .replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----");
        Tools.run(work, cert.getBytes(StandardCharsets.US_ASCII), env, List.of("gpg", "--batch", "--import"))
                .orFail("revoke");
        var refreshed = ppa.addUploader()
                .archive("trunk")
                .key(exportKey(revokedKey), "revoked.asc")
                .call();
        assertThat(refreshed.get(0).refreshed()).isTrue();
        rejected(
                signedBeforeRevocation,
                403,
                "Signing key " + revokedKey + " (Revoked <revoked@example.org>) of "
                        + "hello_1.0-5_source.changes cannot be trusted: it is revoked",
                "-u");
        logged++;

        // Past the size limit per file: 413.
        restart(ArchiveSettings.of(data).withUploadLimits(new UploadLimits(300, 1 << 20)), line -> {});
        Tools.Result big = dput(build("1.0-5", "noble", "hello\n", false, uploader), token);
        assertThat(big.out())
                .contains("Upload failed: 413 File hello_1.0-5.dsc is ")
                .contains("the limit per file is 300 bytes");
        restart(ArchiveSettings.of(data), line -> {});

        // Nothing reached the archive; the queue is empty; the log has every rejection with its reason.
        assertThat(published()).containsExactly("hello 1.0-1");
        assertThat(incoming()).isEmpty();
        List<UploadRecord> log = ppa.listUploads().archive("trunk").call();
        assertThat(log).hasSize(logged);
        assertThat(log.stream().filter(u -> u.status().equals("rejected")))
                .hasSize(logged - 1)
                .allSatisfy(u -> assertThat(u.reason()).isNotBlank());
    }

    @Test
    void theQueueRefusesBadNamesMissingFilesAndAnonymousUploads() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Path changes = build("1.0-1", "noble", "hello\n", false, uploader);
        String auth = "Basic " + Base64.getEncoder().encodeToString(("pat:" + token).getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> anonymous = http.send(
                HttpRequest.newBuilder(URI.create(base + "/upload/trunk/x.dsc"))
                        .PUT(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));

        HttpResponse<String> escape = http.send(
                HttpRequest.newBuilder(URI.create(base + "/upload/trunk/..%2Fevil.dsc"))
                        .header("Authorization", auth)
                        .PUT(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(escape.statusCode()).isEqualTo(400);
        assertThat(escape.body()).contains("..%2Fevil.dsc").contains("contains '..'");
        assertThat(data.resolve("incoming/evil.dsc")).doesNotExist();
        // The path is decoded once: a doubly encoded "../" stays a name with '%' in it, never a path.
        HttpResponse<String> twice = http.send(
                HttpRequest.newBuilder(URI.create(base + "/upload/trunk/%252e%252e%252fevil.dsc"))
                        .header("Authorization", auth)
                        .PUT(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("'%2e%2e%2fevil.dsc'");
        assertThat(data.resolve("incoming/evil.dsc")).doesNotExist();
        // '+' in a name is a '+' (it was decoded a second time, into a space, and refused).
        HttpResponse<String> plus = http.send(
                HttpRequest.newBuilder(URI.create(base + "/upload/trunk/mytool_1.0+dfsg1.orig.tar.gz"))
                        .header("Authorization", auth)
                        .PUT(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plus.statusCode()).as(plus.body()).isEqualTo(201);
        Path plusFile;
        try (Stream<Path> found = Files.walk(data.resolve("incoming/trunk"))) {
            plusFile = found.filter(p -> p.getFileName().toString().equals("mytool_1.0+dfsg1.orig.tar.gz"))
                    .findFirst()
                    .orElseThrow();
        }
        Files.delete(plusFile);
        // A name longer than file systems allow is refused by name, not by the operating system.
        HttpResponse<String> longName = http.send(
                HttpRequest.newBuilder(URI.create(base + "/upload/trunk/" + "a".repeat(300) + ".dsc"))
                        .header("Authorization", auth)
                        .PUT(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(longName.statusCode()).isEqualTo(400);
        assertThat(longName.body()).contains("304 characters long: at most 200");

        HttpResponse<String> nowhere = http.send(
                HttpRequest.newBuilder(URI.create(base + "/upload/nosuch/x.dsc"))
                        .header(
                                "Authorization",
                                "Bearer "
                                        + ppa.createToken()
                                                .name("admin")
                                                .role("admin")
                                                .call()
                                                .secret())
                        .PUT(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(nowhere.statusCode()).isEqualTo(404);

        // Only the .changes: the files it lists never came.
        HttpResponse<String> alone = http.send(
                HttpRequest.newBuilder(URI.create(base + "/upload/trunk/" + changes.getFileName()))
                        .header("Authorization", auth)
                        .PUT(HttpRequest.BodyPublishers.ofFile(changes))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(alone.statusCode()).isEqualTo(400);
        assertThat(alone.body())
                .startsWith("Rejected: hello_1.0-1_source.changes for archive trunk\n")
                .contains("Reason: File hello_1.0-1.dsc listed in hello_1.0-1_source.changes was not uploaded")
                .contains("Nothing from this upload reached the archive");
        assertThat(published()).isEmpty();
        assertThat(incoming()).isEmpty();
    }

    @Test
    void curlGetsItsHundredContinueWhenAllowedAndTheRefusalBeforeItSendsTheBody() throws Exception {
        // curl sends "Expect: 100-continue" with every PUT and holds the body back until the 100
        // comes (or a second passes): a server that never answers it costs each file a second.
        Path changes = build("1.0-1", "noble", "hello\n", false, uploader);
        Path dsc = changes.resolveSibling("hello_1.0-1.dsc");
        List<String> log = new CopyOnWriteArrayList<>();
        restart(ArchiveSettings.of(data), log::add);
        Tools.Result ok = Tools.run(
                work,
                "curl",
                "-sS",
                "-v",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-u",
                "pat:" + token,
                "-T",
                dsc.toString(),
                base + "/upload/trunk/" + dsc.getFileName());
        assertThat(ok.out()).isEqualTo("201");
        assertThat(ok.err())
                .contains("> Expect: 100-continue")
                .contains("< HTTP/1.1 100 Continue")
                .doesNotContain("Done waiting for 100-continue");
        assertThat(incoming()).containsExactly("hello_1.0-1.dsc");

        Tools.Result refused = Tools.run(
                work,
                "curl",
                "-sS",
                "-v",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-u",
                "pat:wrong",
                "-T",
                changes.toString(),
                base + "/upload/trunk/" + changes.getFileName());
        assertThat(refused.out()).isEqualTo("401");
        assertThat(refused.err())
                .contains("> Expect: 100-continue")
                .doesNotContain("100 Continue")
                .doesNotContain("Done waiting for 100-continue");
        assertThat(incoming()).containsExactly("hello_1.0-1.dsc");
        assertThat(published()).isEmpty();

        // The write log has both, with their answers; GETs are not in it.
        assertThat(Tools.run(work, "curl", "-sf", "-o", "/dev/null", base + "/trunk/key.asc")
                        .exit())
                .isZero();
        for (int i = 0; i < 100 && log.size() < 2; i++) {
            Thread.sleep(100); // the line is written as the exchange ends, which may be just after curl has its answer
        }
        Thread.sleep(200);
        assertThat(log).hasSize(2);
        assertThat(log.get(0))
                .matches("\\S+Z 127\\.0\\.0\\.1 PUT /upload/trunk/hello_1\\.0-1\\.dsc 201 \\d+ ms Created");
        assertThat(log.get(1))
                .matches(
                        "\\S+Z 127\\.0\\.0\\.1 PUT /upload/trunk/hello_1\\.0-1_source\\.changes 401 \\d+ ms unknown token");
    }

    // --- helpers ---

    /** A dput run that the server rejects: dput's status line has the reason, -d shows the whole report. */
    private void rejected(Path changes, int status, String reason, String... dputOptions) throws Exception {
        List<String> opts = new ArrayList<>(List.of(dputOptions));
        opts.add("-d");
        Tools.Result r = dput(changes, token, opts.toArray(String[]::new));
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out())
                .contains("Upload failed: " + status + " Rejected: "
                        + reason.substring(0, Math.min(reason.length(), 150)));
        assertThat(r.out())
                .contains("D: Response body: Rejected: " + changes.getFileName() + " for archive trunk")
                .contains("Reason: " + reason);
        assertThat(incoming()).isEmpty();
    }

    /** Each file the .changes lists, then the .changes, PUT with the token as curl or a script would; the last answer. */
    private HttpResponse<String> putAll(Path changes) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<String> names = new ArrayList<>();
        String text = Files.readString(changes);
        text.substring(text.indexOf("\nFiles:") + 1)
                .lines()
                .skip(1)
                .takeWhile(l -> l.startsWith(" "))
                .forEach(l -> names.add(l.strip().split("\\s+")[4]));
        names.add(changes.getFileName().toString());
        HttpResponse<String> last = null;
        for (String n : names) {
            last = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/upload/trunk/" + n))
                            .header("Authorization", "Bearer " + token)
                            .PUT(HttpRequest.BodyPublishers.ofFile(changes.resolveSibling(n)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        return last;
    }

    private Tools.Result dput(Path changes, String password, String... options) throws Exception {
        return dput(server, "http", Map.of(), changes, password, options);
    }

    /** Real dput with a dput.cf for {@code target}'s port and {@code method} (http or https), with these variables added. */
    private Tools.Result dput(
            PpaServer target,
            String method,
            Map<String, String> moreEnv,
            Path changes,
            String password,
            String... options)
            throws Exception {
        Path cf = work.resolve("dput.cf");
        Files.writeString(cf, """
                [ppaforge]
                fqdn = 127.0.0.1:%d
                method = %s
                incoming = /upload/trunk
                login = pat
                allow_unsigned_uploads = 1
                """.formatted(target.port(), method));
        List<String> cmd = new ArrayList<>(List.of("dput", "-c", cf.toString()));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("ppaforge", changes.toString()));
        Map<String, String> all = new HashMap<>(env);
        all.putAll(moreEnv);
        return Tools.run(changes.getParent(), (password + "\n").getBytes(StandardCharsets.UTF_8), all, cmd);
    }

    /** Builds hello VERSION for DIST with dpkg-buildpackage; signs with KEY unless null. */
    private Path build(String version, String dist, String readme, boolean withBinary, String key) throws Exception {
        Path dir = Files.createDirectories(work.resolve("build-" + (++builds)));
        String upstream = version.substring(0, version.lastIndexOf('-'));
        Path src = Files.createDirectories(dir.resolve("hello-" + upstream));
        Files.writeString(src.resolve("README"), readme);
        Tools.run(
                        dir,
                        "tar",
                        "czf",
                        "hello_" + upstream + ".orig.tar.gz",
                        "--owner=0",
                        "--group=0",
                        "--mtime=2026-01-01",
                        "hello-" + upstream)
                .orFail("tar");
        Path debian = Files.createDirectories(src.resolve("debian/source")).getParent();
        Files.writeString(debian.resolve("source/format"), "3.0 (quilt)\n");
        Files.writeString(debian.resolve("control"), """
                Source: hello
                Section: misc
                Priority: optional
                Maintainer: Pat Packager <pat@example.org>
                Standards-Version: 4.6.2

                Package: hello
                Architecture: all
                Description: greeting for the upload tests
                 Built by the ppaforge test suite.
                """);
        Files.writeString(debian.resolve("changelog"), """
                hello (%s) %s; urgency=medium

                  * Test upload.

                 -- Pat Packager <pat@example.org>  Wed, 25 Nov 2026 10:00:00 +0000
                """.formatted(version, dist));
        Files.writeString(
                debian.resolve("rules"),
                "#!/usr/bin/make -f\nbuild build-arch build-indep:\nclean:\n\trm -rf debian/tmp debian/files\n"
                        + "binary binary-arch binary-indep:\n\tmkdir -p debian/tmp/DEBIAN debian/tmp/usr/share/doc/hello\n"
                        + "\tcp README debian/tmp/usr/share/doc/hello/\n\tdpkg-gencontrol -phello -Pdebian/tmp\n"
                        + "\tdpkg-deb --root-owner-group -b debian/tmp ..\n");
        debian.resolve("rules").toFile().setExecutable(true);
        List<String> cmd = new ArrayList<>(List.of("dpkg-buildpackage", "-d", "-sa", "--no-check-builddeps"));
        cmd.add(withBinary ? "-F" : "-S");
        if (key == null) {
            cmd.addAll(List.of("-us", "-uc"));
        } else {
            cmd.add("--sign-key=" + key);
        }
        Tools.run(src, null, env, cmd).orFail("dpkg-buildpackage");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".changes")).findFirst().orElseThrow();
        }
    }

    private String newKey(String userId, String expiry) {
        Tools.run(
                        work,
                        null,
                        env,
                        List.of(
                                "gpg",
                                "--batch",
                                "--passphrase",
                                "",
                                "--quick-gen-key",
                                userId,
                                "ed25519",
                                "sign",
                                expiry))
                .orFail("gpg --quick-gen-key");
        String email = userId.substring(userId.indexOf('<') + 1, userId.indexOf('>'));
        String colons = Tools.run(work, null, env, List.of("gpg", "--with-colons", "--list-keys", email))
                .orFail("gpg --list-keys")
                .out();
        return colons.lines()
                .filter(l -> l.startsWith("fpr:"))
                .findFirst()
                .orElseThrow()
                .split(":")[9];
    }

    private byte[] exportKey(String fpr) {
        return Tools.run(work, null, env, List.of("gpg", "--armor", "--export", fpr))
                .orFail("gpg --export")
                .out()
                .getBytes(StandardCharsets.US_ASCII);
    }

    private List<String> published() {
        return ppa.list().archive("trunk").call().stream()
                .map(e -> e.source() + " " + e.version() + binaries(e))
                .toList();
    }

    private static String binaries(ListPackages.Entry e) {
        List<String> names = e.binaries().values().stream()
                .flatMap(List::stream)
                .map(ListPackages.Binary::name)
                .distinct()
                .toList();
        return names.isEmpty() ? "" : " " + names;
    }

    private List<String> incoming() throws Exception {
        Path dir = data.resolve("incoming/trunk");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) { // every uploader's queue (incoming/trunk/@TOKEN/)
            return s.filter(p -> !Files.isDirectory(p))
                    .map(p -> p.getFileName().toString())
                    .toList();
        }
    }
}
