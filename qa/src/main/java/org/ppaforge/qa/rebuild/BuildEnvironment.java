package org.ppaforge.qa.rebuild;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.Chroot;
import org.ppaforge.farm.store.BuildStore;

/**
 * What a rebuild's build environment is made of, as one key that changes when any part does: the chroot tarball, the
 * distribution its mirror serves now (the SHA-256 of the suite's InRelease, which names every index), and each archive the
 * target archive takes build-dependencies from (a ppaforge archive's change sequence, an external repository's InRelease).
 */
final class BuildEnvironment {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    private BuildEnvironment() {}

    static String key(Ppaforge ppa, Builds builds, Chroot chroot, String into) throws InterruptedException {
        StringJoiner k = new StringJoiner(" ");
        k.add("chroot=" + chroot.sha256());
        if (chroot.mirror() != null && !chroot.mirror().isBlank()) {
            k.add("mirror=" + inRelease(chroot.mirror(), chroot.suite()));
        }
        List<BuildStore.ArchiveDependency> deps = builds.store().dependencies(into);
        for (BuildStore.ArchiveDependency d : deps) {
            if (d.kind().equals("archive")) {
                k.add(d.value() + "=" + ppa.changeSequence().archive(d.value()).call());
            }
        }
        for (BuildStore.ArchiveDependency d : BuildStore.ArchiveDependency.externalsFor(deps, chroot.series())) {
            String[] f = d.value().trim().split("\\s+");
            k.add(f[0] + "=" + (f.length > 1 ? inRelease(f[0], f[1]) : "?"));
        }
        return k.toString();
    }

    /** The SHA-256 of {@code URL/dists/SUITE/InRelease}, or "unreachable" (then nothing can be judged unchanged). */
    private static String inRelease(String url, String suite) throws InterruptedException {
        try {
            HttpResponse<InputStream> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/dists/" + suite + "/InRelease"))
                            .timeout(Duration.ofSeconds(60))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                    return "unreachable-" + System.nanoTime();
                }
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                md.update(in.readNBytes(16 << 20));
                return HexFormat.of().formatHex(md.digest());
            }
        } catch (IOException | IllegalArgumentException | NoSuchAlgorithmException e) {
            return "unreachable-" + System.nanoTime();
        }
    }
}
