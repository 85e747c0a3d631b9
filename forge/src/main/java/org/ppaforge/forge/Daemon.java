package org.ppaforge.forge;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.publish.Publisher;
import org.ppaforge.client.worker.Worker;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.sbuild.Tools;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.qa.Qa;

/**
 * Everything that runs in the background of a server, owned in one place. {@link #prepare} does the start-up work that
 * must be done before anyone reads (recovery of what a stopped process left, publishing every archive, the first admin
 * token); {@link #start} does the rest of the start-up once the server answers, then starts the named tasks:
 *
 * <ul>
 *   <li>{@code lease-expiry}: builds whose worker stopped heartbeating are queued again (every 2 s);
 *   <li>{@code archive-changes}: archives changed by another process get their builds, and builds waiting for a
 *       dependency look again (every 2 s);
 *   <li>{@code pipeline-runner}: pipeline triggers (polls, schedules) and queued runs, one at a time;
 *   <li>{@code rebuild-runner}: rebuild sets that are due (every 30 s);
 *   <li>{@code xz-regrouping}: changed groups of Packages.xz blocks are made whole again after a publish;
 *   <li>{@code gc}: the retention applied (old build logs, pipeline runs, rebuild runs; see {@link Retention}), then
 *       pool files nothing needs any more deleted (every 6 hours; see {@code CollectGarbage});
 *   <li>{@code embedded-worker-N}: build workers in this process, for this machine's architecture;
 *   <li>{@code backup}: the scheduled backup of the data directory, when {@link #backups} asked for one (looked at every
 *       minute).
 * </ul>
 *
 * {@link #close} stops them in reverse order. Everything it reports goes to the {@code say} sink, one line each.
 */
public final class Daemon implements AutoCloseable {
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Forge forge;
    private final Consumer<String> say;
    private final List<Task> tasks = new ArrayList<>();
    private Leadership leadership;
    private BackupSchedule backups;

    private Retention retention = Retention.DEFAULT;

    /** @param say where start-up notices, task results and background trouble go, one line each */
    public Daemon(Forge forge, Consumer<String> say) {
        this.forge = forge;
        this.say = say;
        this.trouble = say;
    }

    private Consumer<String> trouble;

    /** Where a task that failed is reported (default: with everything else, {@code say}); a log gives it its level. */
    public Daemon trouble(Consumer<String> sink) {
        this.trouble = sink;
        return this;
    }

    /** What the {@code gc} task keeps of build logs, pipeline runs and rebuild runs (default: {@link Retention#DEFAULT}). */
    public Daemon retention(Retention retention) {
        this.retention = retention;
        return this;
    }

    /** Scheduled backups of the data directory (before {@link #start}). */
    public Daemon backups(BackupSchedule schedule) {
        this.backups = schedule;
        return this;
    }

    /** The scheduled backups, if any. */
    public Optional<BackupSchedule> backups() {
        return Optional.ofNullable(backups);
    }

    /** What {@link #prepare} found and did. */
    public record Prepared(List<String> processedUploads, int removedFiles, String createdAdminToken) {}

    /**
     * Start-up work before the server answers: uploads received whole but never processed, temporary files and
     * unpublished changes a kill left; every archive's tree made current; and in a new data directory the first admin
     * token ({@code adminTokenSeed} as its secret, or a new one).
     */
    public Prepared prepare(String adminTokenSeed) {
        forge.openAll(); // a server answers for every module: all of them open before it listens
        Ppaforge ppa = forge.archive();
        var recovered = ppa.recover().atServerStart(true).call();
        for (String u : recovered.uploads()) {
            say.accept("processed an upload left in the queue: " + u);
        }
        if (recovered.removed() > 0) {
            say.accept("removed " + recovered.removed() + " temporary file(s) left by a stopped process");
        }
        for (Archive a : archives()) {
            ppa.publish().archive(a.name()).call(); // the trees are current before anyone reads them
        }
        String created = null;
        if (adminTokenSeed != null && !ppa.listTokens().call().isEmpty()) {
            say.accept(
                    "note: $PPAFORGE_ADMIN_TOKEN is ignored: tokens exist already (it only seeds the first admin token "
                            + "of a new data directory; 'ppa token create NAME --role admin' makes another)");
        } else if (ppa.listTokens().call().isEmpty()) { // first start: an admin token, so the quick start works
            created = ppa.createToken()
                    .name("admin")
                    .role("admin")
                    .secret(adminTokenSeed)
                    .call()
                    .secret();
            if (adminTokenSeed == null) {
                say.accept("created the first admin token (shown only now; 'ppa token create' makes more):");
                say.accept("  " + created);
            } else {
                say.accept("created the admin token from $PPAFORGE_ADMIN_TOKEN");
            }
        }
        return new Prepared(recovered.uploads(), recovered.removed(), created);
    }

    /**
     * The rest of the start-up once the server answers at {@code baseUrl}, then the background tasks.
     *
     * @param embeddedWorkers build workers to run in this process (0: builds wait for workers elsewhere)
     */
    public void start(String baseUrl, int embeddedWorkers) {
        Ppaforge ppa = forge.archive();
        Builds builds = forge.farm();
        Pipelines pipelines = forge.pipelines();
        Qa qa = forge.qa();
        boolean shared = ppa.databases().shared();
        leadership = new Leadership(ppa.databases());
        // Builds a stopped server left between results and publication (on a shared database: those whose upload lease
        // ran out; the lease-expiry task looks again while this server runs).
        var left = builds.recover().onlyExpired(shared).call();
        if (!left.built().isEmpty() || !left.requeued().isEmpty()) {
            say.accept("builds left uploading by a stopped server: "
                    + left.built().size() + " built, " + left.requeued().size() + " queued again");
        }
        for (Archive a : archives()) {
            builds.queue().archive(a.name()).call(); // sources published while no server ran get their builds
        }
        forge.serving(Forge.loopback(baseUrl));
        builds.lookForChanges(); // remembers where each archive is
        add(task("xz-regrouping", Duration.ZERO, null, () -> {
            Publisher.awaitRegrouping(STOP_WAIT.toMillis());
            Publisher.regroupInBackground(false);
        }));
        Publisher.regroupInBackground(true);
        add(task(
                "lease-expiry",
                Duration.ofSeconds(2),
                () -> {
                    forge.metrics().leaseExpiries(builds.expireLeases().call().size());
                    if (shared) {
                        var stranded = builds.recover().onlyExpired(true).call();
                        if (!stranded.built().isEmpty() || !stranded.requeued().isEmpty()) {
                            say.accept("builds a stopped server left uploading: "
                                    + stranded.built().size() + " built, "
                                    + stranded.requeued().size() + " queued again");
                        }
                    }
                },
                () -> {}));
        add(task("archive-changes", Duration.ofSeconds(2), builds::lookForChanges, () -> {}));
        boolean[] leading = {false};
        add(singleton(
                "pipeline-runner",
                Duration.ZERO,
                () -> {
                    if (!leading[0]) { // this server runs runs from now on: a stopped runner's are over
                        leading[0] = true;
                        for (long id : pipelines.runner().endInterrupted()) {
                            say.accept("pipeline run " + id + ": interrupted by the stop of the server running it");
                        }
                    }
                    pipelines.triggers().tick(Instant.now()); // polls and daily schedules
                    var done = pipelines.runner().runNext();
                    if (done != null) {
                        say.accept("pipeline run " + done.id() + " of " + done.pipeline() + ": " + done.state()
                                + (done.version() == null ? "" : " (" + done.version() + ")"));
                    } else {
                        pipelines.awaitQueued(2000); // a queued run (a webhook) starts at once
                    }
                },
                () -> {}));
        add(singleton(
                "rebuild-runner",
                Duration.ofSeconds(30),
                () -> {
                    for (var set : qa.rebuilds().due(Instant.now())) {
                        var r = qa.rebuilds().runDue(set.name());
                        say.accept("rebuild run " + r.number() + " of " + r.set() + ": " + r.message());
                    }
                },
                () -> {}));
        add(singleton(
                "gc",
                Duration.ofHours(6),
                () -> {
                    var x = forge.expire(retention, false);
                    if (!x.buildLogs().isEmpty()
                            || !x.pipelineRuns().isEmpty()
                            || !x.rebuildRuns().isEmpty()) {
                        say.accept("gc: deleted the logs of " + x.buildLogs().size() + " old builds, "
                                + x.pipelineRuns().size() + " old pipeline runs and "
                                + x.rebuildRuns().size()
                                + " old rebuild runs");
                    }
                    var r = forge.collectGarbage().call();
                    if (r.files() > 0) {
                        say.accept("gc: deleted " + r.files() + " pool files nothing needs any more (" + r.bytes()
                                + " bytes)");
                    }
                },
                () -> {}));
        if (backups != null) {
            BackupSchedule b = backups;
            forge.backups(b);
            add(task(
                    "backup",
                    Duration.ofMinutes(1),
                    () -> {
                        var outcome = b.runIfDue(ppa.dataDirectory(), Instant.now());
                        if (outcome != null) {
                            say.accept(outcome.message());
                        }
                    },
                    () -> {}));
        }
        if (embeddedWorkers > 0 && !Tools.installed("sbuild")) {
            say.accept(
                    "sbuild is not installed: builds wait for a worker ('ppa worker' on a machine with sbuild; here: "
                            + "apt-get install sbuild mmdebstrap uidmap)");
        } else if (embeddedWorkers > 0) {
            String arch = Tools.hostArchitecture();
            for (int i = 1; i <= embeddedWorkers; i++) {
                Worker w = new Worker(
                                baseUrl,
                                ppa.processToken().secret(),
                                "embedded-" + i,
                                List.of(arch),
                                builds.workerDirectory())
                        .localChroots(sha -> ppa.blobs().localPath(sha))
                        .say(say);
                add(task("embedded-worker-" + i, Duration.ZERO, w::run, w::stop));
            }
            boolean chroots = !builds.listChroots().call().isEmpty();
            say.accept(embeddedWorkers + " embedded build worker(s) for " + arch
                    + (chroots
                            ? ""
                            : " (no build environment yet: builds wait in chroot-wait until 'ppa chroot create SERIES "
                                    + "--arch " + arch + " --mirror URL')"));
        }
        for (Task t : tasks) {
            t.start();
        }
    }

    private Task task(String name, Duration every, Task.Body body, Runnable onStop) {
        Metrics metrics = forge.metrics();
        return new Task(name, every, body, onStop, trouble, ok -> metrics.taskRun(name, ok));
    }

    /** A task that runs on one server at a time (see {@link Leadership}). */
    private Task singleton(String name, Duration every, Task.Body body, Runnable onStop) {
        Metrics metrics = forge.metrics();
        Leadership l = leadership;
        return new Task(name, every, body, onStop, trouble, ok -> metrics.taskRun(name, ok), () -> l.lead(name));
    }

    /** The singleton tasks this server runs now (all of them on the embedded default once they started). */
    public java.util.Set<String> leading() {
        return leadership == null ? java.util.Set.of() : leadership.held();
    }

    private void add(Task t) {
        tasks.add(t);
    }

    /** The tasks this daemon runs, by name, in the order they started. */
    public List<String> tasks() {
        return tasks.stream().map(Task::name).toList();
    }

    /** Whether the named task's thread is alive. */
    public boolean running(String task) {
        return tasks.stream().anyMatch(t -> t.name().equals(task) && t.running());
    }

    private List<Archive> archives() {
        return forge.archive().listArchives().call().stream()
                .map(s -> s.archive())
                .toList();
    }

    /** Stops every task, in reverse order of starting; each gets up to 30 s. */
    @Override
    public void close() {
        // Every task told first, then the embedded workers' waits for a lease answered (empty) while the server still
        // runs: they leave at once, and no long poll is left open for the server's stop to wait out or cut.
        tasks.forEach(Task::signal);
        forge.farm().releaseWaiters();
        for (int i = tasks.size() - 1; i >= 0; i--) {
            tasks.get(i).stop(STOP_WAIT);
        }
        if (leadership != null) {
            leadership.close();
        }
    }
}
