package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.testing.TinyDebs;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * {@code ppa gc} while a client downloads: a package superseded and collected in the middle of its download still
 * arrives whole (the server reads an open file, which deleting its name does not take away), and a new request for
 * it is told it is gone.
 */
@Timeout(120)
class GcRaceTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    @Test
    void aDownloadUnderWayOutlivesTheCollectionOfItsFile() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.configureArchive()
                    .archive("trunk")
                    .keepSuperseded(Duration.ZERO)
                    .call();
            Path v1 = TinyDebs.write(Files.createDirectories(work.resolve("v1")), "tool", "1.0", 48 << 20);
            String sha1 = Checksums.of(v1).sha256();
            ppa.include().archive("trunk").series("noble").files(List.of(v1)).call();
            Path published;
            try (Stream<Path> s = Files.walk(data.resolve("public/trunk/pool"))) {
                published = s.filter(p -> p.getFileName().toString().equals("tool_1.0_amd64.deb"))
                        .findFirst()
                        .orElseThrow();
            }
            String url = "/trunk/" + data.resolve("public/trunk").relativize(published);
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                String base = "http://127.0.0.1:" + server.port();
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<InputStream> download = http.send(
                        HttpRequest.newBuilder(URI.create(base + url)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(download.statusCode()).isEqualTo(200);
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                try (InputStream in = download.body()) {
                    md.update(in.readNBytes(1 << 16)); // the download is under way, most of it still to come

                    // 2.0 supersedes 1.0, which its archive keeps for no time: gc takes its file now.
                    Path v2 = TinyDebs.write(Files.createDirectories(work.resolve("v2")), "tool", "2.0", 1000);
                    ppa.include()
                            .archive("trunk")
                            .series("noble")
                            .files(List.of(v2))
                            .call();
                    var gc = forge.collectGarbage().grace(Duration.ZERO).call();
                    assertThat(gc.deleted()).containsExactly(sha1);
                    assertThat(ppa.blobs().contains(sha1)).isFalse();
                    assertThat(published).doesNotExist();

                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                }
                assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(sha1);
                // A request made now is told the file is gone.
                assertThat(http.send(
                                        HttpRequest.newBuilder(URI.create(base + url))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode())
                        .isEqualTo(404);
            }
        }
    }
}
