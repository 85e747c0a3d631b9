package org.ppaforge.archive.remote;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.ppaforge.archive.signing.SignatureCheck;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.checksum.ReleaseChecksums;
import org.ppaforge.debian.checksum.ReleaseChecksums.Listed;
import org.ppaforge.debian.control.ClearSigned;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.deb.Compression;
import org.ppaforge.debian.pool.PoolPath;

/**
 * An apt repository read as apt reads one: the suite's {@code InRelease}, its signature checked against the key given
 * (or, when asked, not checked); each index fetched in the best compression the Release lists and checked against its
 * size and SHA-256 there; each file an index names checked against the size and SHA-256 the index gives. Nothing
 * unchecked is parsed or kept: a file is written beside its name and renamed into place only once it checks out.
 */
public final class AptRepository {
    /** An InRelease larger than this is refused (Debian's is about 200 KB). */
    public static final long MAX_RELEASE = 16L << 20;
    /** An index larger than this, decompressed, is refused (Debian's main amd64 Packages is about 50 MB; it is held in memory while it is read). */
    public static final long MAX_INDEX = 256L << 20;

    private final Download http;
    private final String url;
    private final String suite;
    private final Stanza release;
    private final Map<String, Listed> listed;
    private final SignatureCheck.Signer signer;

    private AptRepository(
            Download http,
            String url,
            String suite,
            Stanza release,
            Map<String, Listed> listed,
            SignatureCheck.Signer s) {
        this.http = http;
        this.url = url;
        this.suite = suite;
        this.release = release;
        this.listed = listed;
        this.signer = s;
    }

    /**
     * Reads {@code URL/dists/SUITE/InRelease} into {@code work} and checks its signature against {@code keyring}
     * ({@code null}: the signature is not checked, the hashes still are).
     */
    public static AptRepository open(Download http, String url, String suite, List<PGPPublicKeyRing> keyring, Path work)
            throws IOException, InterruptedException {
        Files.createDirectories(work);
        String base = url.replaceAll("/+$", "");
        String where = base + " " + suite;
        Path file = http.get(base + "/dists/" + suite + "/InRelease", work.resolve("InRelease"), -1, null, MAX_RELEASE);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        SignatureCheck.Signer signer = null;
        if (keyring != null) {
            try {
                signer = SignatureCheck.verify(
                        text, "the InRelease of " + where, keyring, "the key given for " + base, new Date());
            } catch (SignatureCheck.Problem e) {
                throw new RemoteException(e.getMessage());
            }
        } else if (!ClearSigned.isClearSigned(text)) {
            throw new RemoteException("the InRelease of " + where + " is not a signed message");
        }
        Stanza release;
        try {
            release = Deb822Reader.parseSingle(ClearSigned.bodyOf(text, "InRelease"), "the InRelease of " + where);
        } catch (FormatException e) {
            throw new RemoteException(e.getMessage());
        }
        Map<String, Listed> listed = ReleaseChecksums.sha256(release);
        if (listed == null) {
            throw new RemoteException("the InRelease of " + where + " has no SHA256 list");
        }
        return new AptRepository(http, base, suite, release, listed, signer);
    }

    public String url() {
        return url;
    }

    public String suite() {
        return suite;
    }

    /** Who signed the InRelease ({@code null} when the signature was not checked). */
    public SignatureCheck.Signer signer() {
        return signer;
    }

    /** The Release's Codename (else its Suite, else the suite asked for). */
    public String codename() {
        String c = release.get("Codename");
        if (c == null || c.isBlank()) {
            c = release.get("Suite");
        }
        return c == null || c.isBlank() ? suite : c.strip();
    }

    public List<String> components() {
        return words("Components");
    }

    public List<String> architectures() {
        return words("Architectures");
    }

    private List<String> words(String field) {
        String v = release.get(field);
        return v == null
                ? List.of()
                : Arrays.stream(v.strip().split("\\s+"))
                        .filter(s -> !s.isEmpty())
                        .toList();
    }

    /** Whether the Release lists an index {@code base} ({@code main/binary-amd64/Packages}) in any compression. */
    public boolean hasIndex(String base) {
        return compressed(base) != null;
    }

    private String compressed(String base) {
        for (String suffix : List.of(".xz", ".gz", ".bz2", "")) {
            if (listed.containsKey(base + suffix)) {
                return base + suffix;
            }
        }
        return null;
    }

    /**
     * The stanzas of the index {@code base}, fetched into {@code work} in the best compression listed and checked
     * against the Release before it is decompressed.
     */
    public List<Stanza> index(String base, Path work) throws IOException, InterruptedException {
        String name = compressed(base);
        if (name == null) {
            throw new RemoteException(url + " " + suite + " lists no " + base + " in its InRelease");
        }
        Listed l = listed.get(name);
        Path local = http.get(
                url + "/dists/" + suite + "/" + name,
                work.resolve(name.replace('/', '_')),
                l.size(),
                l.sha256(),
                MAX_INDEX);
        try (InputStream in = Compression.ofMember(name, base)
                .decompress(new BufferedInputStream(Files.newInputStream(local), 1 << 16))) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_INDEX));
            if (in.read() != -1) {
                throw new RemoteException(
                        url + "/dists/" + suite + "/" + name + " is larger than " + MAX_INDEX + " bytes decompressed");
            }
            return Deb822Reader.parse(new String(body, StandardCharsets.UTF_8), name);
        } catch (FormatException e) {
            throw new RemoteException(e.getMessage());
        }
    }

    /** A file of a Sources entry: where the repository has it, its name, size and SHA-256. */
    public record SourceFile(String path, String name, long size, String sha256) {}

    /**
     * The files a Sources entry lists ({@code Directory} and {@code Checksums-Sha256}), each name a plain file name;
     * in the entry's order. Refused when the entry lacks either field or lists no .dsc.
     */
    public static List<SourceFile> sourceFiles(Stanza entry) throws RemoteException {
        String pkg = entry.get("Package");
        String dir = entry.get("Directory");
        String files = entry.get("Checksums-Sha256");
        if (dir == null || files == null) {
            throw new RemoteException("the Sources entry of " + pkg + " lacks Directory or Checksums-Sha256");
        }
        List<SourceFile> out = new ArrayList<>();
        for (String line : files.strip().split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length != 3 || !f[1].matches("[0-9]{1,15}")) {
                continue;
            }
            String file = PoolPath.checkFileName(f[2], "a file of " + pkg);
            out.add(new SourceFile(dir.strip() + "/" + file, file, Long.parseLong(f[1]), f[0]));
        }
        if (out.stream().noneMatch(f -> f.name().endsWith(".dsc"))) {
            throw new RemoteException("the Sources entry of " + pkg + " lists no .dsc");
        }
        return out;
    }

    /**
     * Fetches {@code path} (relative to the repository, as a {@code Filename} or a {@code Directory} and a file name)
     * into {@code to}, checked against {@code size} and {@code sha256}; a file already there that checks out is kept
     * (so an interrupted import goes on where it stopped).
     */
    public Path file(String path, long size, String sha256, Path to) throws IOException, InterruptedException {
        if (path.startsWith("/") || path.contains("..") || path.contains("\\") || path.contains("//")) {
            throw new RemoteException(url + ": an index names the file '" + path + "', outside the repository");
        }
        return http.get(url + "/" + path, to, size, sha256, size);
    }
}
