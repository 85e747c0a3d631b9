package org.ppaforge.farm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.farm.store.BuildStore;

/**
 * Build logs when several servers share the stores: a running build's log is rows of the shared database (any server
 * appends the worker's lines and any serves them, from any offset), an ended build's log is a gzip blob in the pool,
 * and so is a kept {@code .buildinfo}. Reads take only the rows a page needs. The embedded default keeps files
 * ({@link BuildLogs}).
 */
final class SharedLogs {
    private final Builds builds;

    SharedLogs(Builds builds) {
        this.builds = builds;
    }

    private BuildStore store() {
        return builds.store();
    }

    void start(long id, String header) {
        store().logStart(id, header, builds.now());
    }

    /** The running log's size, or -1 when the build has none running. */
    long liveSize(long id) {
        return store().log(id)
                .filter(r -> r.logSha256() == null)
                .map(BuildStore.LogRow::liveBytes)
                .orElse(-1L);
    }

    boolean append(long id, String text) {
        return store().logAppend(id, text, builds.now()) >= 0;
    }

    Optional<BuildStore.LogRow> row(long id) {
        return store().log(id);
    }

    /** The ended log, as it was written. */
    InputStream openEnded(BuildStore.LogRow row) throws IOException {
        return new GZIPInputStream(builds.archive().blobs().open(row.logSha256()));
    }

    /** A stream of the running log from the chunk that holds {@code from} up to at least {@code to}, and where it starts. */
    record Window(InputStream in, long startsAt) {}

    Window live(long id, long from, long to) {
        List<BuildStore.LogChunk> chunks = store().logChunks(id, Math.max(0, from), Math.max(to, from + 1));
        if (chunks.isEmpty()) {
            return new Window(InputStream.nullInputStream(), Math.max(0, from));
        }
        List<InputStream> parts = chunks.stream()
                .map(c -> (InputStream) new ByteArrayInputStream(c.text().getBytes(StandardCharsets.UTF_8)))
                .toList();
        return new Window(
                new SequenceInputStream(Collections.enumeration(parts)),
                chunks.get(0).startByte());
    }

    /** The running log ends: its rows become one gzip blob. */
    void finish(long id) {
        Optional<BuildStore.LogRow> row = store().log(id);
        if (row.isEmpty() || row.get().logSha256() != null) {
            return;
        }
        try {
            Path tmp = Files.createTempFile("ppaforge-log-" + id + "-", ".gz");
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                try (OutputStream out = new GZIPOutputStream(new DigestOutputStream(Files.newOutputStream(tmp), sha))) {
                    long at = 0;
                    long size = row.get().liveBytes();
                    while (at < size) { // a page of rows at a time: a 64 MiB log is never held whole
                        List<BuildStore.LogChunk> chunks = store().logChunks(id, at, at + BuildLogs.PAGE);
                        if (chunks.isEmpty()) {
                            break;
                        }
                        for (BuildStore.LogChunk c : chunks) {
                            byte[] b = c.text().getBytes(StandardCharsets.UTF_8);
                            if (c.startByte() + b.length > at) {
                                int skip = (int) Math.max(0, at - c.startByte());
                                out.write(b, skip, b.length - skip);
                                at = c.startByte() + b.length;
                            }
                        }
                    }
                }
                String hex = HexFormat.of().formatHex(sha.digest());
                builds.archive().blobs().put(tmp, hex);
                store().logFinished(id, hex, row.get().liveBytes(), builds.now());
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot keep the log of build " + id + ": " + e.getMessage(), e);
        }
    }

    void keepBuildinfo(long id, Path info) throws IOException {
        String hex = Checksums.sha256(info);
        builds.archive().blobs().put(info, hex);
        store().logBuildinfo(id, hex, builds.now());
    }

    Optional<String> buildinfo(long id) {
        Optional<BuildStore.LogRow> row = store().log(id);
        if (row.isEmpty() || row.get().buildinfoSha256() == null) {
            return Optional.empty();
        }
        try (InputStream in = builds.archive().blobs().open(row.get().buildinfoSha256())) {
            return Optional.of(new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The blobs the logs use (gc keeps them). */
    Set<String> blobs() {
        Set<String> out = new HashSet<>();
        for (BuildStore.LogRow r : store().logs()) {
            if (r.logSha256() != null) {
                out.add(r.logSha256());
            }
            if (r.buildinfoSha256() != null) {
                out.add(r.buildinfoSha256());
            }
        }
        return out;
    }
}
