package org.ppaforge.pipeline.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.farm.sbuild.Tools;

/**
 * An isolated testbed for pipeline steps, never the host: the build farm's chroot tarball, unpacked once per SHA-256,
 * under a fresh overlay for each run, in new user, mount, PID, UTS and IPC namespaces ({@code unshare}). Root inside is
 * mapped to the server user's subordinate ids ({@code /etc/subuid}, as in sbuild's unshare mode): it owns the testbed's
 * files and nothing on the host, and has no capability outside its namespaces (no mounting the host's disks, no device
 * but null, zero, full, random, urandom and tty, no reading the server's data). The testbed is reached only by paths
 * relative to the run's directory, so the server's data directory need not be open to that id. The network is the
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

    private static final String DEVICES = "null zero full random urandom tty";
    private final Path base;
    private final Subids ids;

    private Testbed(Path base, Subids ids) {
        this.base = base;
        this.ids = ids;
    }

    /**
     * The ids root inside is mapped to: for a server running as the host's root, its subordinate ids; for a server
     * running as an unprivileged user (the systemd unit's), that user itself (it is unprivileged already; files of other
     * owners in the chroot are unpacked as its own).
     */
    private static Subids ids() throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (uid != 0) {
            int gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
            return new Subids(uid, gid, 1);
        }
        return Subids.of(System.getProperty("user.name"), uid);
    }

    /** {@code unshare} into a user namespace whose root is the subordinate ids' first, and the other namespaces. */
    private List<String> unshare(boolean isolate) {
        List<String> cmd = new ArrayList<>(
                ids.count() == 1
                        ? List.of("unshare", "--map-root-user")
                        : List.of(
                                "unshare",
                                "--map-users=" + ids.uid() + ",0," + ids.count(),
                                "--map-groups=" + ids.gid() + ",0," + ids.count(),
                                "--setuid",
                                "0",
                                "--setgid",
                                "0"));
        if (isolate) {
            cmd.addAll(List.of("--fork", "--pid", "--mount", "--uts", "--ipc", "--kill-child"));
        }
        return cmd;
    }

    /** Makes {@code dir} the mapped root's (the namespace's root writes the overlay's upper and work directories). */
    private void own(Path dir) throws IOException {
        if (ids.count() == 1) {
            return; // the server's own user is the namespace's root: its files are root's there
        }
        Files.setAttribute(dir, "unix:uid", (int) ids.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(dir, "unix:gid", (int) ids.gid(), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The testbed of a chroot tarball, unpacked under {@code cache/SHA256} the first time (about 20 s for a 160 MB buildd
     * tarball here) and shared by every run after.
     */
    public static Testbed of(Path tarball, String sha256, Path cache) throws IOException, InterruptedException {
        // Test cells side by side ask for the same testbed at once: the first unpacks it, the others wait for it.
        synchronized (UNPACKING.computeIfAbsent(cache.toAbsolutePath().resolve(sha256), k -> new Object())) {
            return unpacked(tarball, sha256, cache);
        }
    }

    /** The unpack locks, one per testbed directory. */
    private static final Map<Path, Object> UNPACKING = new ConcurrentHashMap<>();

    private static Testbed unpacked(Path tarball, String sha256, Path cache) throws IOException, InterruptedException {
        Subids ids = ids();
        Path root = cache.resolve(sha256);
        if (Files.isDirectory(root) && ((Integer) Files.getAttribute(root, "unix:uid")) != ids.uid()) {
            FileTrees.delete(root); // unpacked by an older ppaforge as the host's root: unpacked again, mapped
        }
        Testbed bed = new Testbed(root, ids);
        if (!Files.isDirectory(root)) {
            Files.createDirectories(cache);
            Path tmp = Files.createTempDirectory(cache, "unpacking-");
            bed.own(tmp);
            // Unpacked inside the user namespace (the files belong to the mapped ids), from standard input into the
            // current directory: the namespace's root never resolves a path of the host's.
            List<String> cmd = bed.unshare(false);
            cmd.addAll(List.of("tar", "--zstd", "-xpf", "-", "--exclude=./dev/*"));
            if (ids.count() == 1) {
                cmd.add("--no-same-owner");
            }
            Process p = new ProcessBuilder(cmd)
                    .directory(tmp.toFile())
                    .redirectInput(tarball.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                FileTrees.delete(tmp);
                throw new IOException("cannot unpack " + tarball + ": " + out.strip());
            }
            try {
                Files.move(tmp, root, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                FileTrees.delete(tmp);
                if (!Files.isDirectory(root)) {
                    throw e;
                } // else another process unpacked it meanwhile
            }
        }
        return bed;
    }

    /**
     * Removes from {@code cache} the unpacked testbeds whose tarball is not in {@code keep} (a chroot that was updated or
     * removed), and what a killed process left: half-unpacked directories and run directories older than a day. A run's
     * directory is never walked while a mount could be in it: its mounts live in the run's own namespace, which ends with
     * its process.
     */
    public static void prune(Path cache, Set<String> keep) throws IOException {
        if (!Files.isDirectory(cache)) {
            return;
        }
        Instant dayAgo = Instant.now().minus(Duration.ofDays(1));
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
    public Result run(
            Path source,
            String script,
            Map<String, String> env,
            Duration timeout,
            Consumer<String> log,
            Consumer<Path> collect)
            throws IOException, InterruptedException {
        Path run = Files.createTempDirectory(base.getParent(), "run-");
        try {
            Path upper = Files.createDirectories(run.resolve("upper"));
            Path work = Files.createDirectories(run.resolve("work"));
            Path merged = Files.createDirectories(run.resolve("merged"));
            Path src = Files.createDirectories(upper.resolve("build/src"));
            copy(source, src);
            Path scriptFile = upper.resolve("build/step.sh");
            Files.writeString(scriptFile, script);
            for (Path p : List.of(run, upper, work, merged)) {
                own(p);
            }
            try (var walk = Files.walk(upper.resolve("build"))) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    own(p);
                }
            }
            StringBuilder exports = new StringBuilder();
            for (var e : env.entrySet()) {
                if (!e.getKey().matches("[A-Z_][A-Z0-9_]*")) {
                    throw new IllegalArgumentException("invalid environment variable name '" + e.getKey() + "'");
                }
                exports.append("export ")
                        .append(e.getKey())
                        .append("='")
                        .append(e.getValue().replace("'", "'\\''"))
                        .append("'; ");
            }
            // Every path relative to the run's directory (the process's working directory), so the mapped root needs no
            // way through the directories above it. The host's /dev is not there: only the harmless nodes, bound one by
            // one.
            String step = "/bin/sh -c '" + exports.toString().replace("'", "'\\''")
                    + "cd /build/src && exec /bin/sh -e /build/step.sh'";
            String devices = " && for d in " + DEVICES
                    + "; do rm -f ROOT/dev/$d; : > ROOT/dev/$d && mount --bind /dev/$d ROOT/dev/$d"
                    + " || exit 1; done";
            List<String> cmd;
            if (ids.count() > 1) {
                // The server runs as root: the overlay, /proc and the device nodes are mounted in a new mount namespace
                // of
                // the host's (an overlay mounted inside a user namespace cannot rename directories, and dpkg must),
                // then the
                // step enters a user namespace whose root is the subordinate ids' first, and only then the chroot.
                // (/proc of the new PID namespace over the host's, in this mount namespace only: newuidmap finds the
                // step's
                // process by the PID it has here.)
                String inside =
                        "mount -t proc proc /proc && mount -t overlay overlay -o lowerdir=../" + base.getFileName()
                                + ",upperdir=upper,workdir=work merged && mount -t proc proc merged/proc"
                                + devices.replace("ROOT", "merged") + " && exec "
                                + String.join(" ", unshare(false)) + " -- chroot merged " + step;
                cmd = new ArrayList<>(List.of(
                        "unshare",
                        "--fork",
                        "--pid",
                        "--mount",
                        "--uts",
                        "--ipc",
                        "--kill-child",
                        "/bin/sh",
                        "-c",
                        inside));
            } else {
                // An unprivileged server (no overlay it may use with dpkg): a copy of the testbed, in a user namespace
                // whose
                // root is the server's own user.
                String inside = "cp -a ../" + base.getFileName() + "/. upper/ && mount -t proc proc upper/proc"
                        + devices.replace("ROOT", "upper") + " && exec chroot upper " + step;
                cmd = unshare(true);
                cmd.addAll(List.of("/bin/sh", "-c", inside));
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(run.toFile()).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            pb.environment().put("LC_ALL", "C.UTF-8");
            pb.environment().put("HOME", "/root");
            // An interruption (the caller has its answer: a callback came) stops the testbed and is rethrown.
            int exit = Tools.run(pb, timeout, log);
            collect.accept(src);
            return new Result(exit, exit == Tools.TIMED_OUT);
        } finally {
            // The mounts lived in the run's own namespace and ended with it: "merged" is an empty directory again. It
            // is
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
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(
                            p,
                            target,
                            StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.COPY_ATTRIBUTES,
                            LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }
}
