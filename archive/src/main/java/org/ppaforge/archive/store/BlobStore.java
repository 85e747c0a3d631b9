package org.ppaforge.archive.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Content-addressed file storage: each distinct content is stored once under its SHA-256,
 * whatever names and archives use it. The embedded default is a directory
 * ({@code FileBlobStore}); {@code S3BlobStore} keeps them in an S3-compatible bucket.
 */
public interface BlobStore {
    /** Stores the file's bytes under {@code sha256} (the caller computed it); a no-op when already there. */
    void put(Path file, String sha256) throws IOException;

    boolean contains(String sha256);

    InputStream open(String sha256) throws IOException;

    /**
     * Writes the blob to {@code target}, whole or not at all: through a temporary {@code .part-} file beside it, moved
     * into place. A blob that is not there throws {@link java.nio.file.NoSuchFileException}.
     */
    default void copyTo(String sha256, Path target) throws IOException {
        Path part = target.resolveSibling(".part-" + target.getFileName() + "-"
                + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
        try (InputStream in = open(sha256)) {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** A local path to the content when the store keeps one (for links into published trees), else null. */
    Path localPath(String sha256);

    /** One stored blob: its SHA-256, its size and when it was stored (for a link: when it was linked). */
    record Stored(String sha256, long size, Instant storedAt) {}

    /** Every blob, in no order. */
    void forEach(Consumer<Stored> each) throws IOException;

    /**
     * Throws when the store cannot take blobs now (its directory is gone or read-only; a bucket that does not answer):
     * a server's readiness answer.
     */
    void check() throws IOException;

    /** How many puts an include may run at once (0: as many as it reads files); a remote store wants more. */
    default int writeParallelism() {
        return 0;
    }

    /** Removes a blob (a no-op when it is not there). */
    void delete(String sha256) throws IOException;
}
