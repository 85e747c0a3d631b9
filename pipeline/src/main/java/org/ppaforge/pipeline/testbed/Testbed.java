package org.ppaforge.pipeline.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.build.sbuild.Tools;

/**
 * An isolated testbed for pipeline steps, never the host: the build farm's chroot tarball, unpacked once per SHA-256,
 * under a fresh overlay for each run, in new mount, PID, UTS and IPC namespaces ({@code unshare}); the network is the
 * host's, so a step reaches the server (and an install test can call back). What a run writes goes to its overlay's
 * upper directory and is gone afterwards, but for the files the caller collects.
 */
public final class Testbed {
    /** What a run left: its exit status ({@code -1}: killed at the timeout) and the directory the work was in. */
    public record Result(int exit, boolean timedOut) {
        public boolean passed() {
            return exit == 0 && !timedOut;
        }
    }

    private final Path base;

    private Testbed(Path base) {
        this.base = base;
    }

    /**
     * The testbed of a chroot tarball, unpacked under {@code cache/SHA256} the first time (about 20 s for a 160 MB buildd
     * tarball here) and shared by every run after.
     */
    public static Testbed of(Path tarball, String sha256, Path cache) throws IOException, InterruptedException {
        Path root = cache.resolve(sha256);
        if (!Files.isDirectory(root)) {
            Files.createDirectories(cache);
            Path tmp = Files.createTempDirectory(cache, "unpacking-");
            Process p = new ProcessBuilder("tar", "--zstd", "-xpf", tarball.toString(), "-C", tmp.toString()).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("cannot unpack " + tarball + ": " + out.strip());
            }
            try {
                Files.move(tmp, root, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                FileTrees.delete(tmp); // another run unpacked it meanwhile
            }
        }
        return new Testbed(root);
    }

    /**
     * Removes from {@code cache} the unpacked testbeds whose tarball is not in {@code keep} (a chroot that was updated or
     * removed), and what a killed process left: half-unpacked directories and run directories older than a day. A run's
     * directory is never walked while a mount could be in it: its mounts live in the run's own namespace, which ends with
     * its process.
     */
    public static void prune(Path cache, java.util.Set<String> keep) throws IOException {
        if (!Files.isDirectory(cache)) {
            return;
        }
        java.time.Instant dayAgo = java.time.Instant.now().minus(Duration.ofDays(1));
        try (var list = Files.list(cache)) {
            for (Path p : list.toList()) {
                String name = p.getFileName().toString();
                boolean old = Files.getLastModifiedTime(p).toInstant().isBefore(dayAgo);
                if (name.matches("[0-9a-f]{64}") && !keep.contains(name) || name.startsWith("unpacking-") && old) {
                    FileTrees.delete(p);
                } else if (name.startsWith("run-") && old) {
                    FileTrees.delete(p.resolve("upper"));
                    FileTrees.delete(p.resolve("work"));
                    Files.deleteIfExists(p.resolve("merged"));
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Runs {@code script} with {@code /bin/sh -e} in a fresh testbed, in {@code /build/src} holding a copy of {@code source};
     * its output goes to {@code log} as it comes. Afterwards {@code collect} sees the work directory as the run left it.
     */
    public Result run(Path source, String script, Map<String, String> env, Duration timeout, Consumer<String> log,
                      Consumer<Path> collect) throws IOException, InterruptedException {
        Path run = Files.createTempDirectory(base.getParent(), "run-");
        try {
            Path upper = Files.createDirectories(run.resolve("upper"));
            Path work = Files.createDirectories(run.resolve("work"));
            Path merged = Files.createDirectories(run.resolve("merged"));
            Path src = Files.createDirectories(upper.resolve("build/src"));
            copy(source, src);
            Path scriptFile = upper.resolve("build/step.sh");
            Files.writeString(scriptFile, script);
            StringBuilder exports = new StringBuilder();
            for (var e : env.entrySet()) {
                if (!e.getKey().matches("[A-Z_][A-Z0-9_]*")) {
                    throw new IllegalArgumentException("invalid environment variable name '" + e.getKey() + "'");
                }
                exports.append("export ").append(e.getKey()).append("='").append(e.getValue().replace("'", "'\\''")).append("'; ");
            }
            String inside = "mount -t overlay overlay -o lowerdir=" + base + ",upperdir=" + upper + ",workdir=" + work + " " + merged
                    + " && mount -t proc proc " + merged + "/proc && mount --rbind /dev " + merged + "/dev"
                    + " && exec chroot " + merged + " /bin/sh -c '" + exports.toString().replace("'", "'\\''")
                    + "cd /build/src && exec /bin/sh -e /build/step.sh'";
            List<String> cmd = new ArrayList<>(List.of("unshare", "--fork", "--pid", "--mount", "--uts", "--ipc", "--kill-child",
                    "/bin/sh", "-c", inside));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            pb.environment().put("LC_ALL", "C.UTF-8");
            pb.environment().put("HOME", "/root");
            // An interruption (the caller has its answer: a callback came) stops the testbed and is rethrown.
            int exit = Tools.run(pb, timeout, log);
            collect.accept(src);
            return new Result(exit, exit == Tools.TIMED_OUT);
        } finally {
            // The mounts lived in the run's own namespace and ended with it: "merged" is an empty directory again. It is
            // removed only if empty, never walked (were a mount left, walking it would reach the host's /dev).
            FileTrees.delete(run.resolve("upper"));
            FileTrees.delete(run.resolve("work"));
            Files.deleteIfExists(run.resolve("merged"));
            Files.deleteIfExists(run);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }
}
