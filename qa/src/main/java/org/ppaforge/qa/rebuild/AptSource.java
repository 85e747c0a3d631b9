package org.ppaforge.qa.rebuild;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.archive.signing.SignatureCheck;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.control.ClearSigned;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.deb.Compression;
import org.ppaforge.debian.pool.PoolPath;

/**
 * A source package from an apt repository, as apt fetches one: the suite's {@code InRelease}, its signature checked
 * against the key given for the repository; the component's {@code Sources} index, its size and SHA-256 checked against
 * the Release file; the newest version of the package there, each of its files checked against the index. Anything that
 * does not check out ends the package's rebuild with the reason; nothing unchecked is unpacked.
 */
final class AptSource {
    /** {@code deb-src URL SUITE COMPONENT} as a set names its source (the leading word optional). */
    record Spec(String url, String suite, String component) {
        static Spec parse(String text) {
            String[] f = text.strip().replaceFirst("^deb(-src)?\\s+", "").split("\\s+");
            if (f.length != 3
                    || !f[0].matches("https?://[^\\s]+")
                    || !f[1].matches("[A-Za-z0-9._/-]+")
                    || !f[2].matches("[a-z0-9.+-]+")) {
                throw new IllegalArgumentException(
                        "an apt source is 'deb-src URL SUITE COMPONENT', not '" + text + "'");
            }
            return new Spec(f[0].replaceAll("/+$", ""), f[1], f[2]);
        }

        static boolean is(String from) {
            return from.startsWith("deb ")
                    || from.startsWith("deb-src ")
                    || from.startsWith("http://")
                    || from.startsWith("https://");
        }
    }

    record Fetched(Path dsc, String version) {}

    static final long MAX_INDEX = 512L << 20;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    private AptSource() {}

    /** The newest source of {@code pkg} the repository publishes, its .dsc and files fetched into {@code into} and checked. */
    static Fetched fetch(Spec spec, String key, String pkg, Path into) throws IOException, InterruptedException {
        Files.createDirectories(into);
        String release =
                text(get(spec.url() + "/dists/" + spec.suite() + "/InRelease", into.resolve("InRelease"), -1, null));
        try {
            SignatureCheck.verify(
                    release,
                    "the InRelease of " + spec.url() + " " + spec.suite(),
                    OpenPgp.readPublicRings(key.getBytes(StandardCharsets.US_ASCII), "the key of " + spec.url()),
                    "the key given for " + spec.url(),
                    new Date());
        } catch (SignatureCheck.Problem e) {
            throw new IOException(e.getMessage());
        }
        Stanza r = Deb822Reader.parseSingle(ClearSigned.bodyOf(release, "InRelease"), "InRelease");
        Map<String, String[]> sums = new HashMap<>();
        String field = r.get("SHA256");
        if (field == null) {
            throw new FormatException("the InRelease of " + spec.url() + " " + spec.suite() + " has no SHA256 list");
        }
        for (String line : field.strip().split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 3) {
                sums.put(f[2], new String[] {f[0], f[1]});
            }
        }
        String base = spec.component() + "/source/Sources";
        String name = null;
        for (String suffix : List.of(".xz", ".gz", "")) {
            if (sums.containsKey(base + suffix)) {
                name = base + suffix;
                break;
            }
        }
        if (name == null) {
            throw new FormatException(spec.url() + " " + spec.suite() + " has no " + base + " in its Release file");
        }
        String[] sum = sums.get(name);
        Path index = get(
                spec.url() + "/dists/" + spec.suite() + "/" + name,
                into.resolve("Sources.index"),
                Long.parseLong(sum[1]),
                sum[0]);
        String sources;
        try (InputStream in = Compression.ofMember(name, base).decompress(Files.newInputStream(index))) {
            sources =
                    new String(in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_INDEX)), StandardCharsets.UTF_8);
        }
        Stanza best = null;
        for (Stanza s : Deb822Reader.parse(sources, name)) {
            if (pkg.equals(s.get("Package"))
                    && (best == null
                            || Version.parse(s.get("Version")).compareTo(Version.parse(best.get("Version"))) > 0)) {
                best = s;
            }
        }
        if (best == null) {
            throw new FormatException(
                    spec.url() + " " + spec.suite() + " " + spec.component() + " has no source package '" + pkg + "'");
        }
        String dir = best.get("Directory");
        String files = best.get("Checksums-Sha256");
        if (dir == null || files == null || dir.contains("..")) {
            throw new FormatException("the Sources entry of " + pkg + " lacks Directory or Checksums-Sha256");
        }
        Path dsc = null;
        for (String line : files.strip().split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length != 3) {
                continue;
            }
            String file = PoolPath.checkFileName(f[2], "a file of " + pkg);
            Path local = get(spec.url() + "/" + dir + "/" + file, into.resolve(file), Long.parseLong(f[1]), f[0]);
            if (file.endsWith(".dsc")) {
                dsc = local;
            }
        }
        if (dsc == null) {
            throw new FormatException("the Sources entry of " + pkg + " lists no .dsc");
        }
        return new Fetched(dsc, best.get("Version"));
    }

    /** Downloads to {@code to}; when {@code size} is not -1, the size and SHA-256 must be these. */
    private static Path get(String url, Path to, long size, String sha256) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofMinutes(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            r.body().close();
            throw new IOException(url + ": HTTP " + r.statusCode());
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long limit = size >= 0 ? size : 16L << 20;
        try (InputStream in = new DigestInputStream(r.body(), digest)) {
            long n = Files.copy(
                    new BufferedInputStream(in) {
                        private long read;

                        @Override
                        public synchronized int read(byte[] b, int off, int len) throws IOException {
                            int k = super.read(b, off, len);
                            if (k > 0 && (read += k) > limit) {
                                throw new IOException(url + " is larger than " + limit + " bytes");
                            }
                            return k;
                        }
                    },
                    to,
                    StandardCopyOption.REPLACE_EXISTING);
            if (size >= 0 && n != size) {
                throw new IOException(url + " has " + n + " bytes, the index says " + size);
            }
        }
        if (sha256 != null && !HexFormat.of().formatHex(digest.digest()).equalsIgnoreCase(sha256)) {
            throw new IOException(url + ": its SHA-256 is not the one the index gives");
        }
        return to;
    }

    private static String text(Path f) throws IOException {
        return Files.readString(f, StandardCharsets.UTF_8);
    }
}
