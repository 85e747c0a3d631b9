package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.testing.AptClient;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.debian.testing.RealDebs;
import org.ppaforge.debian.testing.SourcePackages;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/** The server on 127.0.0.1 with a real apt client and plain HTTP requests. */
class PpaServerTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private Forge forge;

    Ppaforge ppa;
    PpaServer server;
    String base;
    Path deb;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        forge = Forge.open(ForgeConfig.of(data));
        ppa = forge.archive();
        ppa.createArchive()
                .name("trunk")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        deb = RealDebs.build(work, "hello", "2.10-3", "amd64", "xz", null, "");
        Path all = RealDebs.build(work, "hello-data", "2.10-3", "all", "gzip", "hello", "");
        Path changes = SourcePackages.buildSourceUpload(work.resolve("src"), "hello", "2.10", "3", "noble");
        ppa.include()
                .archive("trunk")
                .files(List.of(deb, all, changes.resolveSibling("hello_2.10-3.dsc")))
                .call();
        server = new PpaServer(forge, "127.0.0.1", 0).start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        forge.close();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void realAptUpdatesAndDownloadsOverHttp() throws Exception {
        AptClient apt = new AptClient(
                work.resolve("apt"), ppa.aptSources().archive("trunk").url(base).call());
        apt.update().orFail("apt-get update over http");
        assertThat(apt.policy("hello"))
                .contains("Candidate: 2.10-3")
                .contains(base + "/trunk noble/main amd64 Packages");
        assertThat(apt.policy("hello-data")).contains("Candidate: 2.10-3");
        apt.run("apt-get", "download", "hello").orFail("apt-get download");
        assertThat(Checksums.of(apt.dir().resolve("hello_2.10-3_amd64.deb")).sha256())
                .isEqualTo(Checksums.of(deb).sha256());
        assertThat(apt.run("apt-cache", "showsrc", "hello").orFail("showsrc").out())
                .contains("Version: 2.10-3");
        // A second update finds nothing new (conditional requests answered 304): apt says Hit.
        assertThat(apt.update().orFail("second update").out()).contains("Hit:");
    }

    @Test
    void headRangeConditionalRequestsAndContentTypes() throws Exception {
        Path inRelease = data.resolve("public/trunk/dists/noble/InRelease");
        HttpResponse<byte[]> full = get("/trunk/dists/noble/InRelease");
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.body()).isEqualTo(Files.readAllBytes(inRelease));
        assertThat(full.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        String etag = full.headers().firstValue("ETag").orElseThrow();
        String lastModified = full.headers().firstValue("Last-Modified").orElseThrow();

        HttpResponse<Void> head = http.send(
                HttpRequest.newBuilder(URI.create(base + "/trunk/dists/noble/InRelease"))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(Files.size(inRelease));

        assertThat(get("/trunk/dists/noble/InRelease", "If-None-Match", etag).statusCode())
                .isEqualTo(304);
        assertThat(get("/trunk/dists/noble/InRelease", "If-Modified-Since", lastModified)
                        .statusCode())
                .isEqualTo(304);

        String pool = "/trunk/pool/main/h/hello/hello_2.10-3_amd64.deb";
        HttpResponse<byte[]> range = get(pool, "Range", "bytes=8-15");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(Files.readAllBytes(deb), 8, 16));
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 8-15/" + Files.size(deb));
        assertThat(get(pool, "Range", "bytes=99999999-").statusCode()).isEqualTo(416);
        assertThat(get(pool).headers().firstValue("Content-Type")).hasValue("application/vnd.debian.binary-package");
        assertThat(get("/trunk/dists/noble/main/binary-amd64/Packages.xz")
                        .headers()
                        .firstValue("Content-Type"))
                .hasValue("application/x-xz");
        assertThat(get("/trunk/dists/noble/main/binary-amd64/Packages.gz")
                        .headers()
                        .firstValue("Content-Type"))
                .hasValue("application/gzip");

        HttpResponse<byte[]> key = get("/trunk/key.asc");
        assertThat(key.statusCode()).isEqualTo(200);
        assertThat(new String(key.body(), StandardCharsets.US_ASCII))
                .isEqualTo(ppa.exportKey().archive("trunk").call());
        assertThat(key.headers().firstValue("Content-Type")).hasValue("application/pgp-keys");
    }

    @Test
    void nothingOutsideTheTreesIsReachable() throws Exception {
        // "/trunk/" is the archive's web page (a redirect to "/trunk"), never a listing of its directory.
        HttpResponse<byte[]> page = get("/trunk/");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/trunk");
        for (String path : List.of(
                "/trunk/.pool-manifest",
                "/trunk/.lock",
                "/trunk/dists/",
                "/trunk/dists/../../ppaforge.db",
                "/trunk/dists/%2e%2e/%2e%2e/ppaforge.db",
                "/ppaforge.db",
                "/keys/",
                "/nope/key.asc",
                "/trunk/dists/noble/nothing")) {
            HttpResponse<byte[]> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
        }
        HttpResponse<String> put = http.send(
                HttpRequest.newBuilder(URI.create(base + "/trunk/dists/noble/Release"))
                        .PUT(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void privateArchivesNeedATokenThatAptSendsFromAuthConf() throws Exception {
        ppa.configureArchive().archive("trunk").privateArchive(true).call();
        // To a caller who may not read it, a private archive answers exactly as a missing one does.
        for (String path :
                List.of("/%s/dists/noble/InRelease", "/%s/key.asc", "/%s/pool/main/h/hello/hello_2.10-3_amd64.deb")) {
            HttpResponse<byte[]> hidden = get(path.formatted("trunk"));
            HttpResponse<byte[]> missing = get(path.formatted("nosuch"));
            assertThat(hidden.statusCode()).as(path).isEqualTo(404).isEqualTo(missing.statusCode());
            assertThat(new String(hidden.body(), StandardCharsets.UTF_8).replace("trunk", "X"))
                    .as(path)
                    .isEqualTo(new String(missing.body(), StandardCharsets.UTF_8).replace("nosuch", "X"));
            assertThat(hidden.headers().firstValue("WWW-Authenticate")).isEmpty();
        }
        assertThat(new String(get("/nosuch/key.asc").body(), StandardCharsets.UTF_8))
                .contains("does not exist")
                .doesNotContain("trunk");

        AptClient without = new AptClient(
                work.resolve("apt-without"),
                ppa.aptSources().archive("trunk").url(base).call());
        Tools.Result failed = without.update();
        assertThat(failed.exit()).isNotZero();
        assertThat(failed.err()).contains("does not have a Release file");

        String reader = ppa.createToken()
                .name("reader")
                .role("reader")
                .archive("trunk")
                .call()
                .secret();
        String uploader = ppa.createToken()
                .name("uploader")
                .role("uploader")
                .archive("trunk")
                .call()
                .secret();
        ppa.createArchive()
                .name("release")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        String other = ppa.createToken()
                .name("elsewhere")
                .role("uploader")
                .archive("release")
                .call()
                .secret();
        AptClient with = new AptClient(
                work.resolve("apt-with"),
                ppa.aptSources().archive("trunk").url(base).call());
        // apt sends credentials over plain http only when the machine line says http:// explicitly.
        with.authConf("machine http://127.0.0.1:" + server.port() + "/trunk login ci password " + reader + "\n");
        with.update().orFail("apt-get update with auth.conf");
        assertThat(with.policy("hello")).contains("Candidate: 2.10-3");
        with.run("apt-get", "download", "hello").orFail("apt-get download with auth.conf");

        // An uploader token for the archive reads it too; a reader token reads and writes nothing.
        assertThat(get("/trunk/dists/noble/InRelease", "Authorization", "Bearer " + uploader)
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<byte[]> write = http.send(
                HttpRequest.newBuilder(URI.create(base + "/upload/trunk/x_1_source.changes"))
                        .header("Authorization", "Bearer " + reader)
                        .PUT(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(new String(write.body(), StandardCharsets.UTF_8)).contains("reader token");
        assertThat(ppa.listUploads().archive("trunk").call()).isEmpty();

        String basicOther = Base64.getEncoder().encodeToString(("x:" + other).getBytes(StandardCharsets.UTF_8));
        assertThat(get("/trunk/dists/noble/InRelease", "Authorization", "Basic " + basicOther)
                        .statusCode())
                .isEqualTo(404);
        ppa.configureArchive().archive("trunk").privateArchive(false).call();
        assertThat(get("/trunk/dists/noble/InRelease").statusCode()).isEqualTo(200);
    }

    @Test
    void startsOnAFreshDataDirectoryAndServesArchivesCreatedLater(@TempDir Path fresh) throws Exception {
        // The README's quick start: 'ppa serve &' on a data directory with nothing in it yet, then create an archive.
        try (Forge forge = Forge.open(ForgeConfig.of(fresh.resolve("data")));
                PpaServer late = new PpaServer(forge, "127.0.0.1", 0).start()) {
            Ppaforge empty = forge.archive();
            String at = "http://127.0.0.1:" + late.port();
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create(at + "/trunk/dists/noble/InRelease"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(404);
            empty.createArchive()
                    .name("trunk")
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
            empty.include().archive("trunk").files(List.of(deb)).call();
            AptClient apt = new AptClient(
                    work.resolve("apt-fresh"),
                    empty.aptSources().archive("trunk").url(at).call());
            apt.update().orFail("apt-get update from a server started before its first archive");
            assertThat(apt.policy("hello")).contains("Candidate: 2.10-3");
        }
    }

    @Test
    void slowAndIdleClientsAreDisconnected(@TempDir Path fresh) throws Exception {
        var timeouts = new PpaServer.Timeouts(Duration.ofMillis(500), Duration.ofMillis(800));
        try (Forge forge = Forge.open(ForgeConfig.of(fresh.resolve("data")));
                PpaServer strict = new PpaServer(forge, "127.0.0.1", 0, timeouts).start()) {
            Ppaforge other = forge.archive();
            // Half a request line, then nothing: the server closes the connection once the parse timeout passes.
            try (Socket s = new Socket("127.0.0.1", strict.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /trunk/dists/noble/InRel".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                long t0 = System.nanoTime();
                assertThat(s.getInputStream().read()).isEqualTo(-1);
                assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(9_000);
            }
            // A kept-alive connection with nothing more to ask is closed after the idle timeout.
            try (Socket s = new Socket("127.0.0.1", strict.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream()
                        .write("GET /nope/key.asc HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                assertThat(in.readLine()).startsWith("HTTP/1.1 404");
                while (in.read() != -1) {
                    // the rest of the answer, then the end of the connection
                }
            }
        }
    }
}
