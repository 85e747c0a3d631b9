package org.ppaforge.archive.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.ppaforge.archive.store.BlobStore;

/**
 * Blobs as files under {@code <root>/sha256/ab/<sha256>} (one level of 256 directories,
 * as git's objects: two levels made nearly every put create a directory, which dominated
 * bulk includes here). A blob is hard-linked to the
 * file it comes from when both are on one filesystem (as aptly's pool does: a copy of
 * 20,000 small files cost 2.2 s here, linking them 0.24 s), else copied to a temporary name
 * and renamed into place, so a killed process never leaves a partial blob under a real
 * name. A linked blob shares the original's inode: rewriting that file in place (rather
 * than replacing it) would change the blob, so {@link #FileBlobStore(Path, boolean)} can
 * turn linking off. (No fsync per blob: it cost ~0.5 ms a file here, doubling bulk includes; on ext4 a
 * rename-over commits the file's data first, and a blob lost to power failure is
 * re-stored by including the file again.)
 */
public final class FileBlobStore implements BlobStore {
    private final Path root;
    private final boolean link;
    private final Set<Path> madeDirectories = ConcurrentHashMap.newKeySet();

    public FileBlobStore(Path root) {
        this(root, true);
    }

    /** @param link hard-link blobs to their source files when possible */
    public FileBlobStore(Path root, boolean link) {
        this.root = root;
        this.link = link;
    }

    public Path root() {
        return root;
    }

    @Override
    public Path localPath(String sha256) {
        checkSha256(sha256);
        return root.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /** Refuses anything but 64 lower-case hex digits: a blob's name becomes a path or an object key. */
    static void checkSha256(String sha256) {
        if (sha256.length() != 64 || !sha256.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("not a SHA-256: '" + sha256 + "'");
        }
    }

    @Override
    public boolean contains(String sha256) {
        return Files.exists(localPath(sha256));
    }

    @Override
    public void check() throws IOException {
        Files.createDirectories(root); // a fresh data directory has none until its first file
        if (!Files.isWritable(root)) {
            throw new IOException("the pool directory " + root + " is not writable");
        }
    }

    @Override
    public void put(Path file, String sha256) throws IOException {
        Path target = localPath(sha256);
        if (!madeDirectories.contains(target.getParent())) {
            Files.createDirectories(target.getParent()); // before it is marked: other threads rely on the mark
            madeDirectories.add(target.getParent());
        }
        if (link) {
            try {
                Files.createLink(target, file);
                return;
            } catch (FileAlreadyExistsException e) {
                return; // stored meanwhile by another process: same content by construction
            } catch (IOException | UnsupportedOperationException e) {
                // another filesystem, or no links there: copy
            }
        }
        if (Files.exists(target)) {
            return;
        }
        Path tmp = target.resolveSibling(sha256 + ".tmp-"
                + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
        try {
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
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
            throw new NoSuchFileException(
                    localPath(sha256).toString(), null, "blob " + sha256 + " is missing from the pool");
        }
    }

    /**
     * Every blob under {@code sha256/}. Its time is the inode's change time, not its modification time: a blob linked
     * to an uploaded file keeps that file's old modification time, but linking it changed the inode just now.
     */
    @Override
    public void forEach(Consumer<Stored> each) throws IOException {
        Path dir = root.resolve("sha256");
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> buckets = Files.newDirectoryStream(dir)) {
            for (Path bucket : buckets) {
                if (!Files.isDirectory(bucket, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (DirectoryStream<Path> blobs = Files.newDirectoryStream(bucket)) {
                    for (Path b : blobs) {
                        String name = b.getFileName().toString();
                        if (!name.matches("[0-9a-f]{64}")) {
                            continue; // a temporary name of a put in flight
                        }
                        try {
                            Map<String, Object> a =
                                    Files.readAttributes(b, "unix:size,ctime", LinkOption.NOFOLLOW_LINKS);
                            each.accept(
                                    new Stored(name, (Long) a.get("size"), ((FileTime) a.get("ctime")).toInstant()));
                        } catch (NoSuchFileException e) {
                            // deleted meanwhile
                        }
                    }
                }
            }
        }
    }

    @Override
    public void delete(String sha256) throws IOException {
        Files.deleteIfExists(localPath(sha256));
    }
}
