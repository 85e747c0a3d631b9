package org.ppaforge.archive.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.ppaforge.archive.store.BlobStore;
import org.ppaforge.archive.store.MetadataStore;
import org.ppaforge.archive.store.StoreTx.IncomingFile;
import org.ppaforge.debian.checksum.Checksums;

/**
 * The incoming queue across servers (a shared database and pool): dput sends each file of an upload in a request of
 * its own, and a load balancer or a round-robin name may send them to different servers. Each file received is also
 * put into the pool by its SHA-256 and recorded in a row (archive, uploader, name); the server that receives the
 * .changes fetches the other files from there. Rows are per uploader, as the local queue is: an uploader sees only the
 * files it sent, and listing another's SHA-256 in a .changes brings nothing. Garbage collection keeps what the rows
 * name; rows older than an hour go, as stray files do.
 */
public final class SharedIncoming {
    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final Clock clock;

    public SharedIncoming(MetadataStore metadata, BlobStore blobs, Clock clock) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.clock = clock;
    }

    private static String key(String uploader) {
        return uploader == null ? "" : uploader;
    }

    private Instant stale() {
        return clock.instant().minus(IncomingQueue.STALE);
    }

    /** The bytes the uploader's upload in progress holds on every server, {@code except} a file being replaced. */
    long pending(String archive, String uploader, String except) {
        return metadata.read(tx -> tx.incoming(archive, key(uploader), stale())).stream()
                .filter(f -> !f.name().equals(except))
                .mapToLong(IncomingFile::size)
                .sum();
    }

    void received(String archive, String uploader, String name, Path file, String sha256, long size)
            throws IOException {
        blobs.put(file, sha256);
        IncomingFile row = new IncomingFile(name, sha256, size, clock.instant());
        metadata.write(tx -> {
            tx.putIncoming(archive, key(uploader), row, stale());
            return null;
        });
    }

    void remove(String archive, String uploader, Collection<String> names) {
        metadata.write(tx -> {
            tx.deleteIncoming(archive, key(uploader), names);
            return null;
        });
    }

    void gather(String archive, String uploader, Path dir, Collection<String> names) throws IOException {
        Map<String, IncomingFile> rows = metadata.read(tx -> tx.incoming(archive, key(uploader), stale())).stream()
                .collect(Collectors.toMap(IncomingFile::name, Function.identity()));
        for (String name : names) {
            IncomingFile row = rows.get(name);
            if (row == null) {
                continue;
            }
            Path here = dir.resolve(name);
            if (Files.isRegularFile(here) && Checksums.sha256(here).equals(row.sha256())) {
                continue;
            }
            Files.createDirectories(dir);
            try {
                blobs.copyTo(row.sha256(), here);
            } catch (java.nio.file.NoSuchFileException e) {
                // gone from the pool (collected after its row went stale): the upload's checks name it missing
            }
        }
    }
}
