package org.ppaforge.backup;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What of a data directory a backup keeps: every database ({@code *.db}, dumped by table) and every file, less what is
 * made again from those (the published trees, caches, scratch space, testbeds, git mirrors, the embedded worker's
 * build directories). A new kind of file is kept unless it is named here: forgetting to exclude costs space, forgetting
 * to include loses data.
 */
final class DataDirectory {
    /** Made again from what is kept, or scratch: never backed up. */
    static final Set<String> MADE_AGAIN = Set.of(
            "public",
            "cache",
            "tmp",
            "worker",
            "pipelines/git",
            "pipelines/testbeds",
            "pipelines/runs",
            "backup-cache");

    private final Path root;

    DataDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /** The databases: {@code ppaforge.db}, {@code builds.db}, {@code pipelines.db}, {@code qa.db}, ... */
    List<Path> databases() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".db") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Every file kept, as paths relative to the root, sorted, with what the walk read of each (one {@code stat} per
     * file); links are not followed and not kept.
     */
    Map<String, PosixFileAttributes> files() throws IOException {
        Map<String, PosixFileAttributes> out = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String rel = root.relativize(dir).toString();
                return !rel.isEmpty() && excluded(rel) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = root.relativize(file).toString();
                if (attrs.isRegularFile() && !excluded(rel)) {
                    try {
                        out.put(
                                rel,
                                attrs instanceof PosixFileAttributes p
                                        ? p
                                        : Files.readAttributes(
                                                file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
                    } catch (NoSuchFileException e) {
                        // gone meanwhile: nothing to keep
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // gone meanwhile (a scratch file): nothing to keep
                }
                throw e;
            }
        });
        return out;
    }

    static boolean excluded(String rel) {
        String name = rel.contains("/") ? rel.substring(rel.lastIndexOf('/') + 1) : rel;
        if (!rel.contains("/")
                && (name.endsWith(".db")
                        || name.endsWith(".db-wal")
                        || name.endsWith(".db-shm")
                        || name.endsWith(".db-journal")
                        || name.endsWith(".lock"))) {
            return true; // the databases go by table; their side files are the database's own business
        }
        if (!rel.contains("/") && name.startsWith("serve.handoff")) {
            return true; // a running server's address and token for local commands: void once it stops
        }
        for (String x : MADE_AGAIN) {
            if (rel.equals(x) || rel.startsWith(x + "/")) {
                return true;
            }
        }
        return false;
    }
}
