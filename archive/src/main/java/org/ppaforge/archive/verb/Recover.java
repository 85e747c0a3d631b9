package org.ppaforge.archive.verb;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.publish.TreeLock;
import org.ppaforge.archive.upload.UploadRejected;

/**
 * Finishes what a killed process left: archives whose last committed change was never published are published
 * (every command runs this first); at a server's start also (with {@link #atServerStart}) every complete upload left
 * in the incoming queue is processed (accepted or rejected, logged either way), and the temporary files a kill left
 * behind are removed: {@code .tmp-*} files in the published trees (under each tree's lock), {@code .part-*} spool
 * files of uploads, and include work directories.
 */
public final class Recover {
    /** Temporary files younger than this may belong to a process still running. */
    static final Duration QUIET = Duration.ofMinutes(1);

    private final Ppaforge ppa;
    private boolean serverStart;

    /**
     * @param republished archives published again
     * @param uploads the uploads found complete in the queue, each with its outcome
     * @param removed temporary files and directories removed
     */
    public record Result(List<String> republished, List<String> uploads, int removed) {
        public boolean didAnything() {
            return !republished.isEmpty() || !uploads.isEmpty() || removed > 0;
        }
    }

    public Recover(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Also processes the uploads left in the queue and removes temporary files (only the server owns the queue). */
    public Recover atServerStart(boolean yes) {
        this.serverStart = yes;
        return this;
    }

    public Result call() {
        int removed = 0;
        List<String> uploads = new ArrayList<>();
        try {
            if (serverStart) {
                removed += sweep(ppa.incoming().root(), ".part-", false);
                removed += sweepDirectories(ppa.workDirectory(), "include-"); // include-build- too
                removed += sweepDirectories(ppa.workDirectory(), "coverage-");
                for (String archive : ppa.metadata().read(tx -> tx.archives()).stream()
                        .map(a -> a.name())
                        .toList()) {
                    Path tree = ppa.publishRoot().resolve(archive);
                    if (Files.isDirectory(tree)) {
                        removed += TreeLock.locked(tree, () -> sweep(tree, ".tmp-", true));
                    }
                    uploads.addAll(processLeftUploads(archive));
                }
            }
        } catch (IOException e) {
            throw new ArchiveException(ArchiveException.Kind.IO, "recovering after a stop: " + e.getMessage(), e);
        }
        List<String> republish = ppa.metadata().read(tx -> tx.unpublishedArchives());
        for (String archive : republish) {
            ppa.publish().archive(archive).call();
        }
        return new Result(republish, uploads, removed);
    }

    /** Each .changes that arrived whole (it is renamed into place only then) but was never processed, per uploader. */
    private List<String> processLeftUploads(String archive) throws IOException {
        List<String> out = new ArrayList<>();
        for (String uploader : ppa.incoming().uploaders(archive)) {
            Path dir = ppa.incoming().directory(archive, uploader);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<String> changes = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.changes")) {
                s.forEach(p -> changes.add(p.getFileName().toString()));
            }
            changes.sort(null);
            for (String name : changes) {
                try {
                    out.add(archive + "/" + name + ": "
                            + ppa.processUpload()
                                    .archive(archive)
                                    .changes(name)
                                    .token(uploader)
                                    .recovered(true)
                                    .call()
                                    .summary());
                } catch (UploadRejected e) {
                    out.add(archive + "/" + name + ": rejected: " + e.getMessage());
                } catch (ArchiveException e) {
                    out.add(archive + "/" + name + ": failed: " + e.getMessage());
                }
            }
        }
        return out;
    }

    private static int sweep(Path root, String prefix, boolean anyAge) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        long cutoff = System.currentTimeMillis() - QUIET.toMillis();
        List<Path> found;
        try (Stream<Path> walk = Files.walk(root)) {
            found = walk.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(Files::isRegularFile)
                    .toList();
        }
        int n = 0;
        for (Path p : found) {
            if (anyAge || Files.getLastModifiedTime(p).toMillis() < cutoff) {
                n += Files.deleteIfExists(p) ? 1 : 0;
            }
        }
        return n;
    }

    private static int sweepDirectories(Path root, String prefix) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        long cutoff = System.currentTimeMillis() - QUIET.toMillis();
        int n = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root, prefix + "*")) {
            for (Path dir : s) {
                if (Files.getLastModifiedTime(dir).toMillis() < cutoff) {
                    try (Stream<Path> walk = Files.walk(dir)) {
                        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                    n++;
                }
            }
        }
        return n;
    }
}
