package org.ppaforge.archive.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.ppaforge.archive.store.BlobStore;

/**
 * Blobs as files under {@code <root>/sha256/ab/cd/<sha256>}, written to a temporary name,
 * flushed to disk and renamed into place, so a crash never leaves a partial blob under a
 * real name.
 */
public final class FileBlobStore implements BlobStore {
    private final Path root;

    public FileBlobStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    @Override
    public Path localPath(String sha256) {
        if (sha256.length() != 64 || !sha256.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("not a SHA-256: '" + sha256 + "'");
        }
        return root.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    @Override
    public boolean contains(String sha256) {
        return Files.exists(localPath(sha256));
    }

    @Override
    public void put(Path file, String sha256) throws IOException {
        Path target = localPath(sha256);
        if (Files.exists(target)) {
            return;
        }
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(sha256 + ".tmp-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
        try {
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public InputStream open(String sha256) throws IOException {
        try {
            return Files.newInputStream(localPath(sha256));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(localPath(sha256).toString(), null, "blob " + sha256 + " is missing from the pool");
        }
    }
}
