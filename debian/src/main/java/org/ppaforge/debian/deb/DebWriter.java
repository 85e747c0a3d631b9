package org.ppaforge.debian.deb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.ppaforge.debian.control.Stanza;

/**
 * Writes a binary package: {@code debian-binary}, {@code control.tar.gz} with the control
 * file, {@code data.tar.gz} with the given regular files (owned by root, mode 0644, a
 * fixed time, so the same input gives the same bytes).
 */
public final class DebWriter {
    private final Stanza control;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private long mtime = 1_700_000_000L;

    public DebWriter(Stanza control) {
        this.control = control;
    }

    /** Adds a regular file at {@code path} (relative, e.g. {@code usr/share/doc/foo/README}). */
    public DebWriter file(String path, byte[] content) {
        files.put(path, content);
        return this;
    }

    public DebWriter modificationTime(long epochSeconds) {
        this.mtime = epochSeconds;
        return this;
    }

    public void write(OutputStream out) throws IOException {
        byte[] controlTar = tarGz(Map.of("control", control.toString().getBytes(StandardCharsets.UTF_8)), false);
        byte[] dataTar = tarGz(files, true);
        ArArchiveOutputStream ar = new ArArchiveOutputStream(out);
        member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
        member(ar, "control.tar.gz", controlTar);
        member(ar, "data.tar.gz", dataTar);
        ar.finish();
        out.flush();
    }

    public byte[] toBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out);
        return out.toByteArray();
    }

    private void member(ArArchiveOutputStream ar, String name, byte[] bytes) throws IOException {
        ArArchiveEntry e = new ArArchiveEntry(name, bytes.length, 0, 0, 0100644, mtime);
        ar.putArchiveEntry(e);
        ar.write(bytes);
        ar.closeArchiveEntry();
    }

    private byte[] tarGz(Map<String, byte[]> entries, boolean withDirectories) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(buffer))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            Set<String> dirs = new LinkedHashSet<>();
            dirs.add("./");
            if (withDirectories) {
                for (String path : entries.keySet()) {
                    String[] parts = path.split("/");
                    StringBuilder d = new StringBuilder("./");
                    for (int i = 0; i < parts.length - 1; i++) {
                        d.append(parts[i]).append('/');
                        dirs.add(d.toString());
                    }
                }
            }
            for (String d : dirs) {
                TarArchiveEntry e = new TarArchiveEntry(d);
                e.setMode(040755);
                e.setModTime(mtime * 1000);
                e.setUserName("root");
                e.setGroupName("root");
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            for (var entry : entries.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry("./" + entry.getKey());
                e.setSize(entry.getValue().length);
                e.setMode(0100644);
                e.setModTime(mtime * 1000);
                e.setUserName("root");
                e.setGroupName("root");
                tar.putArchiveEntry(e);
                tar.write(entry.getValue());
                tar.closeArchiveEntry();
            }
        }
        return buffer.toByteArray();
    }
}
