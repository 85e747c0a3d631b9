package org.ppaforge.client.worker;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.debian.changes.Changes;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.LeaseBuild;
import org.ppaforge.farm.sbuild.Sbuild;

/**
 * One leased build on a worker: fetches the chroot tarball (cached by its SHA-256) and the source files, runs sbuild
 * in unshare mode against the archive (and its dependencies) served by the server, sends the log as it comes while a
 * heartbeat asks every few seconds whether to stop, and returns the results. Everything it made is deleted at the end.
 */
final class BuildJob {
    private final WorkerApi api;
    private final String name;
    private final Path directory;
    private final Duration heartbeat;
    private final Consumer<String> say;
    private final Function<String, Path> localChroots;

    BuildJob(
            WorkerApi api,
            String name,
            Path directory,
            Duration heartbeat,
            Consumer<String> say,
            Function<String, Path> localChroots) {
        this.localChroots = localChroots;
        this.api = api;
        this.name = name;
        this.directory = directory;
        this.heartbeat = heartbeat;
        this.say = say;
    }

    /** Set by {@link #stopNow}: the build in hand goes back to the queue. */
    private volatile boolean givingBack;
    /** sbuild's process while it runs, and every process of its tree seen so far. */
    private volatile Process current;

    private final Set<ProcessHandle> tree = ConcurrentHashMap.newKeySet();

    /**
     * The worker stops: sbuild's process tree is stopped (SIGTERM: sbuild cleans up) and the build in hand is given back
     * to the queue, unless sbuild has already ended (then its result is sent: a build about to be done is finished).
     */
    void stopNow() {
        givingBack = true;
        if (current != null) {
            say.accept("worker " + name + ": stopping sbuild; the build goes back to the queue");
        }
        stopTree();
    }

    /** SIGTERM to sbuild's whole process tree (sbuild cleans up on it); nothing when sbuild is not running. */
    private void stopTree() {
        Process p = current;
        if (p != null) {
            p.descendants().forEach(tree::add);
            tree.forEach(ProcessHandle::destroy);
            p.destroy();
        }
    }

    /**
     * What of sbuild's tree ignored SIGTERM for 10 s gets SIGKILL: nothing of a stopped build outlives it. It waits even
     * when the thread was interrupted (the stop that brought it here), and passes the interrupt on.
     */
    private void reap() {
        boolean interrupted = Thread.interrupted();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < until) {
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands the build back to the server's queue, saying so in its log. */
    private void giveBack(long id, String title, LogPump log) {
        boolean interrupted = Thread.interrupted(); // the calls below must not be cut by the stop that caused them
        try {
            log.add("\nppaforge worker " + name + ": the worker is stopping; build stopped and given back\n");
            log.end();
            api.result(id, "given-back", null, List.of());
            say.accept("worker " + name + ": build " + id + " (" + title + ") given back: the worker is stopping");
        } catch (IOException | InterruptedException | RuntimeException e) {
            say.accept("worker " + name + ": build " + id + " could not be given back (" + e.getMessage()
                    + "); it is queued again when its lease runs out");
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void run(LeaseBuild.Lease lease) throws IOException, InterruptedException {
        Build b = lease.build();
        long id = b.id();
        String title = b.source() + " " + b.version() + " " + b.architecture();
        say.accept("worker " + name + ": building " + id + " (" + title + ")");
        Path dir = directory.resolve("builds").resolve(Long.toString(id));
        FileTrees.delete(dir);
        Path src = Files.createDirectories(dir.resolve("src"));
        Path out = Files.createDirectories(dir.resolve("out"));
        LogPump log = new LogPump(api, id, lease.readToken());
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-" + name + "-heartbeat");
            t.setDaemon(true);
            return t;
        });
        AtomicBoolean cancelled = new AtomicBoolean();
        boolean stopRequested = false;
        tree.clear();
        ticker.scheduleWithFixedDelay(() -> beat(id, log, cancelled), 0, heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        try {
            Path chroot = chroot(lease, log);
            for (LeaseBuild.SourceFile f : lease.files()) {
                if (f.name().contains("/") || f.name().startsWith(".")) {
                    throw new IOException("the server named a source file '" + f.name() + "'");
                }
                api.sourceFile(id, f.name(), src.resolve(f.name()), f.sha256());
            }
            List<Sbuild.ExtraRepository> repos = new ArrayList<>();
            for (LeaseBuild.Repository r : lease.repositories()) {
                repos.add(repository(r, dir, lease.readToken()));
            }
            Sbuild sbuild = new Sbuild()
                    .chroot(chroot)
                    .distribution(b.series())
                    .architecture(b.architecture())
                    .archAll(b.archAll())
                    .buildDir(out)
                    .repositories(repos);
            Path dsc = src.resolve(lease.dsc());
            if (givingBack) { // told to stop while fetching what the build needs
                ticker.shutdownNow();
                giveBack(id, title, log);
                return;
            }
            log.add("ppaforge worker " + name + ": " + String.join(" ", sbuild.command(dsc)) + "\n");
            Sbuild.Outcome o = sbuild.run(dsc, log::add, p -> {
                current = p;
                if (givingBack) {
                    stopNow(); // the stop came just before sbuild started
                }
            });
            current = null;
            // sbuild has ended: its result is sent even if the worker is told to stop from now on (a build about to be
            // done is finished, not thrown away); the stop is passed on once it is.
            stopRequested = Thread.interrupted();
            ticker.shutdown();
            ticker.awaitTermination(30, TimeUnit.SECONDS);
            if (givingBack && !o.successful() && !cancelled.get()) { // stopped by the worker's stop, not by the build
                reap();
                giveBack(id, title, log);
                if (stopRequested) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            if (cancelled.get()) { // nothing of the stopped build may outlive it
                reap();
            }
            log.endPatiently(say);
            boolean built = o.successful() && !cancelled.get();
            boolean waits = !built && o.dependencyWait() && !cancelled.get();
            String outcome = built ? "built" : waits ? "dependency-wait" : "failed";
            List<Path> files = built ? results(out) : List.of();
            api.patiently("sending build " + id + "'s result", say, () -> {
                api.result(id, outcome, waits ? o.unmet() : null, files);
                return null;
            });
            say.accept("worker " + name + ": build " + id + " (" + title + ") "
                    + (cancelled.get()
                            ? "stopped"
                            : o.successful()
                                    ? "built"
                                    : o.dependencyWait()
                                            ? "waits for " + o.unmet()
                                            : "failed (sbuild status " + o.status() + ")"));
            if (stopRequested) {
                Thread.currentThread().interrupt();
            }
        } catch (InterruptedException e) {
            // Interrupted (the worker's thread is stopped): sbuild's tree is stopped and the build goes back to the
            // queue now, instead of when its lease runs out.
            ticker.shutdownNow();
            stopNow();
            reap();
            giveBack(id, title, log);
            Thread.currentThread().interrupt();
            throw e;
        } catch (IOException e) {
            ticker.shutdownNow();
            if (givingBack) { // sbuild's output ended under the stop (its streams close when it is stopped)
                reap();
                giveBack(id, title, log);
                return;
            }
            if (e instanceof WorkerApi.Unreachable) { // the build did not fail: the server could not be asked
                say.accept("worker " + name + ": build " + id + " (" + title + ") left: " + e.getMessage()
                        + "; the server queues it again when its lease runs out");
                throw e;
            }
            log.add("\nppaforge worker " + name + ": " + e.getMessage() + "\n");
            log.end();
            try {
                api.result(id, "failed", null, List.of());
            } catch (IOException again) {
                say.accept("worker " + name + ": build " + id + ": " + again.getMessage());
            }
            throw e;
        } finally {
            ticker.shutdownNow();
            FileTrees.delete(dir);
        }
    }

    /** One heartbeat: the log so far goes out, and a cancel stops sbuild (its whole process tree). */
    private void beat(long id, LogPump log, AtomicBoolean cancelled) {
        try {
            Process running = current;
            if (running != null) {
                running.descendants().forEach(tree::add);
            }
            log.flush();
            if (api.heartbeat(id).cancel() && cancelled.compareAndSet(false, true)) {
                log.add("\nppaforge worker: stopping sbuild (cancelled)\n");
                stopTree();
            }
        } catch (IOException | RuntimeException e) {
            say.accept("worker " + name + ": heartbeat for build " + id + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The chroot tarball from the cache: linked from this machine's copy when there is one, else fetched once. */
    private Path chroot(LeaseBuild.Lease lease, LogPump log) throws IOException, InterruptedException {
        Build b = lease.build();
        String sha = lease.chrootSha256();
        if (sha == null) {
            throw new IOException("no chroot for " + b.series() + "/" + b.architecture());
        }
        Path cache = Files.createDirectories(directory.resolve("chroots"));
        Path tarball = cache.resolve(sha + ".tar.zst");
        Path local = Files.exists(tarball) ? null : localChroots.apply(sha);
        if (local != null && Files.isRegularFile(local)) {
            try {
                Files.createLink(tarball, local); // one copy on the disk; a link also outlives the pool's gc
            } catch (IOException e) {
                // another file system, or no links here: fetched below
            }
        }
        if (!Files.exists(tarball)) {
            log.add("ppaforge worker " + name + ": fetching the chroot tarball (" + lease.chrootSize() / (1 << 20)
                    + " MiB)\n");
            api.chroot(b.series(), b.architecture(), tarball, sha);
        }
        return tarball;
    }

    /**
     * An archive of this server becomes an extra repository for sbuild, its key fetched from the server. Its URL carries
     * the lease's read credential (good for this build's archives while it builds), never this worker's token: what a
     * build can read, it can print.
     */
    private Sbuild.ExtraRepository repository(LeaseBuild.Repository r, Path dir, String readToken)
            throws IOException, InterruptedException {
        if (r.archive() == null) { // an external repository, with the key it is signed with
            Path keyFile =
                    r.key() == null ? null : Files.writeString(Files.createTempFile(dir, "external-", ".asc"), r.key());
            return new Sbuild.ExtraRepository("deb " + r.url() + " " + r.suite() + " " + r.components(), keyFile);
        }
        Path key = dir.resolve(r.archive() + ".asc");
        boolean signed = api.archiveKey(r.archive(), key);
        URI base = URI.create(api.server());
        String url = base.getScheme() + "://" + (readToken == null ? "" : "build:" + readToken + "@")
                + base.getAuthority() + "/" + r.archive();
        return new Sbuild.ExtraRepository(
                "deb " + (signed ? "" : "[trusted=yes] ") + url + " " + r.suite() + " " + r.components(),
                signed ? key : null);
    }

    /** The build's .changes and every file it lists. */
    private static List<Path> results(Path out) throws IOException {
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(out)) {
            s.filter(p -> p.getFileName().toString().endsWith(".changes")).forEach(files::add);
        }
        if (files.size() != 1) {
            throw new IOException("sbuild left " + files.size() + " .changes files in " + out);
        }
        var changes = Changes.parse(
                Files.readString(files.get(0)), files.get(0).getFileName().toString());
        for (var f : changes.files()) {
            files.add(out.resolve(f.name()));
        }
        return files;
    }
}
