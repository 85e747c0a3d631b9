package org.ppaforge.forge;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.ppaforge.archive.store.StoreTx;

/**
 * What takes the space of a data directory ({@code ppa du}): the databases, the pool (what each archive's
 * publications hold, the build environments, and what nothing names any more), build and pipeline logs, artifacts,
 * testbeds, caches and the published trees. Read-only.
 */
public final class DiskUsage {
    /** One place and its bytes; {@code note} says what it is. */
    public record Part(String name, long bytes, String note) {}

    /**
     * @param parts every place, largest first
     * @param archives each archive's pool bytes (published, and with what it keeps of superseded and deleted packages)
     * @param unreferenced pool bytes no publication and no build environment names
     * @param collectable what {@code ppa gc} would free now (its default grace, each archive's keep-superseded time)
     */
    public record Result(
            long total, List<Part> parts, List<StoreTx.PoolUsage> archives, long unreferenced, long collectable) {}

    private DiskUsage() {}

    public static Result of(Forge forge) throws IOException {
        Path root = forge.archive().dataDirectory();
        List<Part> parts = new ArrayList<>();
        long dbs = 0;
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches(".*\\.db(-wal|-shm)?"))
                    .toList()) {
                dbs += Files.size(p);
            }
        }
        parts.add(new Part("databases", dbs, "*.db: archives, builds, pipelines, QA"));
        Path pool = root.resolve("pool"); // the embedded default: FileBlobStore under pool/
        Set<String> referenced = new HashSet<>(forge.archive().metadata().read(StoreTx::referencedPoolFiles));
        long chroots = 0;
        for (var c : forge.farm().listChroots().call()) {
            if (referenced.add(c.sha256())) {
                chroots += c.size();
            }
        }
        long[] poolBytes = {0, 0};
        Set<Object> seen = new HashSet<>();
        walk(
                pool,
                (file, size) -> {
                    poolBytes[0] += size;
                    if (!referenced.contains(file.getFileName().toString())) {
                        poolBytes[1] += size;
                    }
                },
                seen);
        parts.add(new Part("pool", poolBytes[0], "content-addressed package files and chroot tarballs"));
        parts.add(new Part("pool: build environments", chroots, "chroot tarballs ('ppa chroot list')"));
        for (String[] d : new String[][] {
            {"build-logs", "build logs"},
            {"pipelines/logs", "pipeline step logs"},
            {"pipelines/artifacts", "pipeline artifacts"},
            {"pipelines/testbeds", "unpacked testbeds, one per chroot (made again when needed)"},
            {"pipelines/git", "git mirrors (fetched again when needed)"},
            {"worker", "the embedded worker's chroot copies and build directories"},
            {"public", "published apt trees, less the pool files they link (made again by publishing)"},
            {"cache", "caches"},
            {"incoming", "uploads not yet processed"},
            {"tmp", "scratch space"}
        }) {
            long[] n = {0};
            walk(root.resolve(d[0]), (f, size) -> n[0] += size, seen);
            parts.add(new Part(d[0], n[0], d[1]));
        }
        long total = parts.stream()
                .filter(p -> !p.name().startsWith("pool: "))
                .mapToLong(Part::bytes)
                .sum();
        List<Part> sorted = new ArrayList<>(parts);
        sorted.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        List<StoreTx.PoolUsage> archives = forge.archive().metadata().read(StoreTx::poolUsage);
        long collectable = forge.collectGarbage().dryRun(true).call().bytes();
        return new Result(total, sorted, archives, poolBytes[1], collectable);
    }

    private interface Visit {
        void file(Path file, long size);
    }

    /**
     * Every regular file's size under {@code dir} (links not followed, a missing directory counts 0); a file seen before
     * (a hard link of the pool's in a published tree) counts once, where it was first seen.
     */
    private static void walk(Path dir, Visit visit, Set<Object> seen) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && (attrs.fileKey() == null || seen.add(attrs.fileKey()))) {
                    visit.file(file, attrs.size());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }
}
