package org.ppaforge.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.store.IndexRows;
import org.ppaforge.archive.verb.ShowSource;
import org.ppaforge.debian.deb.Compression;

/**
 * The newest entry of a source's {@code debian/changelog}, read from its {@code .debian.tar.*} (3.0 quilt) or, for a
 * native source of at most {@link #MAX_NATIVE} bytes, from its tarball; null when there is none to read.
 */
final class Changelogs {
    static final long MAX_NATIVE = 20L << 20;
    static final int MAX_CHANGELOG = 256 << 10;

    private Changelogs() {}

    static String latest(Ppaforge ppa, ShowSource.Version v) {
        IndexRows.File tarball = null;
        for (IndexRows.File f : v.files()) {
            String n = f.filename();
            if (n.matches(".*\\.debian\\.tar\\.[a-z0-9]+")
                    || n.matches(".*\\.tar\\.[a-z0-9]+") && !n.contains(".orig") && f.size() <= MAX_NATIVE) {
                if (tarball == null || n.contains(".debian.tar.")) {
                    tarball = f;
                }
            }
        }
        if (tarball == null || !ppa.blobs().contains(tarball.sha256())) {
            return null;
        }
        String name = tarball.filename();
        try (InputStream raw = ppa.blobs().open(tarball.sha256());
                TarArchiveInputStream tar = new TarArchiveInputStream(
                        Compression.ofMember(name, name.substring(0, name.lastIndexOf(".tar") + 4))
                                .decompress(raw))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.isFile()
                        && (e.getName().equals("debian/changelog")
                                || e.getName().endsWith("/debian/changelog"))) {
                    byte[] text = tar.readNBytes(MAX_CHANGELOG);
                    return firstEntry(new String(text, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // a page without the excerpt, never a broken page
        }
        return null;
    }

    /** The lines up to and including the first trailer line (" -- Name <mail>  date"). */
    static String firstEntry(String changelog) {
        StringBuilder out = new StringBuilder();
        for (String line : changelog.lines().toList()) {
            out.append(line).append('\n');
            if (line.startsWith(" -- ")) {
                break;
            }
        }
        return out.toString().strip();
    }
}
