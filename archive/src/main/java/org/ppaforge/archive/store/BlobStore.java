package org.ppaforge.archive.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Content-addressed file storage: each distinct content is stored once under its SHA-256,
 * whatever names and archives use it. The embedded default is a directory
 * ({@code FileBlobStore}); S3-compatible storage comes later.
 */
public interface BlobStore {
    /** Stores the file's bytes under {@code sha256} (the caller computed it); a no-op when already there. */
    void put(Path file, String sha256) throws IOException;

    boolean contains(String sha256);

    InputStream open(String sha256) throws IOException;

    /** A local path to the content when the store keeps one (for links into published trees), else null. */
    Path localPath(String sha256);
}
