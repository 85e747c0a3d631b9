package org.ppaforge.archive.verb;

import java.util.List;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;

/**
 * A ready deb822 {@code .sources} stanza for an archive, with the archive's active public key(s) inline in
 * {@code Signed-By} (apt 2.3.10 and later), so a client needs no keyring file; or, for older apt (Debian 11, Ubuntu
 * 20.04 and earlier), naming a keyring file ({@link #keyFile}) that holds {@link #binaryKeyring}.
 */
public final class AptSources {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String archive;
    private String url;
    private String series;
    private boolean withSources = true;

    public AptSources(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public AptSources caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public AptSources archive(String archive) {
        this.archive = archive;
        return this;
    }

    /** Where the archives are served: the archive is at {@code URL/<archive>}. */
    public AptSources url(String url) {
        this.url = url;
        return this;
    }

    /** Only this series (default: all of the archive's). */
    public AptSources series(String series) {
        this.series = series;
        return this;
    }

    public AptSources withSources(boolean on) {
        this.withSources = on;
        return this;
    }

    private String keyFile;

    /** Name this keyring file in {@code Signed-By} instead of writing the key inline (for apt before 2.3.10). */
    public AptSources keyFile(String path) {
        if (path != null && !path.matches("/[A-Za-z0-9._/+-]{1,255}")) {
            throw ArchiveException.invalid(
                    "a keyring file is an absolute path of letters, digits and ._/+- (e.g. /etc/apt/keyrings/trunk.gpg), "
                            + "not '" + path + "'");
        }
        this.keyFile = path;
        return this;
    }

    /** The archive's active public keys as a binary keyring, as every apt reads one from a {@code Signed-By} file. */
    public byte[] binaryKeyring() {
        caller.read(ppa, archive);
        String key = ppa.exportKey().archive(archive).call();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (var ring : org.ppaforge.archive.signing.OpenPgp.readPublicRings(
                key.getBytes(java.nio.charset.StandardCharsets.US_ASCII), "the key of " + archive)) {
            try {
                out.write(ring.getEncoded());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return out.toByteArray();
    }

    public String call() {
        caller.read(ppa, archive);
        if (url == null || url.isBlank() || !url.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            throw ArchiveException.invalid(
                    "give the base URL the archives are served at, e.g. --url http://ppa.example.org "
                            + "or --url file:///srv/ppaforge/public (got '" + url + "')");
        }
        Archive a = ppa.metadata().read(tx -> Lookup.archive(tx, archive));
        List<String> suites = series == null ? a.series() : List.of(Lookup.series(a, series));
        String key = ppa.exportKey().archive(a.name()).call();
        StringBuilder sb = new StringBuilder();
        sb.append("Types: deb").append(withSources ? " deb-src" : "").append('\n');
        sb.append("URIs: ")
                .append(url.replaceAll("/+$", ""))
                .append('/')
                .append(a.name())
                .append('\n');
        sb.append("Suites: ").append(String.join(" ", suites)).append('\n');
        sb.append("Components: ").append(String.join(" ", a.components())).append('\n');
        if (keyFile != null) {
            sb.append("Signed-By: ").append(keyFile).append('\n');
            return sb.toString();
        }
        sb.append("Signed-By:\n");
        for (String line : key.strip().split("\n")) {
            sb.append(' ').append(line.isBlank() ? "." : line.strip()).append('\n');
        }
        return sb.toString();
    }
}
