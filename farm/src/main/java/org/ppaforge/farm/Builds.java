package org.ppaforge.farm;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.farm.store.BuildStore;
import org.ppaforge.farm.store.SqlBuildStore;

/**
 * The build farm's entry point, as {@link Ppaforge} is the archive's: it holds the build store and hands out one
 * command object per verb. It hears of every archive change through the core's hook and queues the builds a newly
 * published source needs, supersedes those of replaced sources and retries dependency waits that can now be met.
 */
public final class Builds implements AutoCloseable {
    /** A build changed state ({@code ppa serve} prints a line per event). */
    public record Event(Build build, BuildState from, BuildState to) {}

    private final Ppaforge ppa;
    private final BuildStore store;
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private final Object queueSignal = new Object();

    /** How long a lease lasts without a heartbeat by default; a worker beats every few seconds. */
    public static final Duration LEASE_TIME = Duration.ofSeconds(90);

    private final Consumer<String> problems;
    private final Duration leaseTime;

    /**
     * @param problems where trouble in the background (queueing builds after an archive changed) is reported
     * @param leaseTime how long a lease lasts without a heartbeat
     */
    public Builds(Ppaforge ppa, BuildStore store, Consumer<String> problems, Duration leaseTime) {
        this.ppa = ppa;
        this.store = store;
        this.problems = problems;
        this.leaseTime = leaseTime;
    }

    /** The embedded default: {@code builds.db} in the data directory; hooks into the archive's changes. */
    public static Builds open(Ppaforge ppa) {
        return open(ppa, problem -> {}, LEASE_TIME);
    }

    public static Builds open(Ppaforge ppa, Consumer<String> problems, Duration leaseTime) {
        Builds b = new Builds(ppa, SqlBuildStore.open(ppa.databases()), problems, leaseTime);
        ppa.onChange(b::archiveChanged);
        ppa.grantReads((sha256, archive) -> ReadGrants.mayRead(b, sha256, archive));
        return b;
    }

    /** Called by the core after an archive changed: new sources get builds, replaced ones lose theirs. */
    void archiveChanged(String archive) {
        try {
            queue().archive(archive).call();
            dependencyWaits().changed(archive).call();
        } catch (RuntimeException e) {
            problems.accept("queueing builds for " + archive + " failed: " + e.getMessage());
        }
    }

    private final Map<String, Long> seen = new ConcurrentHashMap<>();

    /**
     * What a server runs every few seconds: archives changed by another process (a local {@code ppa include}, another
     * server) are looked at as a change in this one would be, and builds whose worker stopped heartbeating are queued again.
     */
    public void poll() {
        expireLeases().call();
        lookForChanges();
    }

    /** Archives changed by another process since the last look are treated as changed here (their builds queued). */
    public void lookForChanges() {
        Map<String, Long> now = ppa.metadata().read(tx -> {
            Map<String, Long> m = new HashMap<>();
            tx.archives().forEach(a -> m.put(a.name(), tx.changedSeq(a.id())));
            return m;
        });
        now.forEach((archive, seq) -> {
            Long before = seen.put(archive, seq);
            if (before != null && !before.equals(seq)) {
                archiveChanged(archive);
            }
        });
    }

    public Ppaforge archive() {
        return ppa;
    }

    public BuildStore store() {
        return store;
    }

    /** How long a lease lasts without a heartbeat (default 90 s); a worker beats every few seconds. */
    public Duration leaseTime() {
        return leaseTime;
    }

    /** Whether the build's source publication is still the published one of its archive series (no newer version). */
    boolean stillPublished(Build b) {
        return ppa.metadata()
                .read(tx -> tx.archive(b.archive())
                        .map(a -> tx.sources(a.id(), b.series(), true).stream()
                                .anyMatch(p -> p.id() == b.sourcePublicationId()))
                        .orElse(false));
    }

    Instant now() {
        return ppa.clock().instant();
    }

    /** Where build logs are kept: {@code ID.log} while building, {@code ID.log.gz} afterwards. */
    public Path logDirectory() {
        return ppa.dataDirectory().resolve("build-logs");
    }

    /** Where workers in this process keep chroot tarballs and build directories. */
    public Path workerDirectory() {
        return ppa.dataDirectory().resolve("worker");
    }

    public Builds onEvent(Consumer<Event> listener) {
        listeners.add(listener);
        return this;
    }

    void fire(Build build, BuildState from, BuildState to) {
        if (from == to) {
            return;
        }
        Event e = new Event(build, from, to);
        for (Consumer<Event> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ignored) {
                // a listener's failure is not the build's
            }
        }
        if (to == BuildState.WAITING) {
            wakeWorkers();
        }
    }

    void wakeWorkers() {
        synchronized (queueSignal) {
            queueSignal.notifyAll();
        }
    }

    private final java.util.concurrent.atomic.AtomicLong waiters = new java.util.concurrent.atomic.AtomicLong();

    /** Which round of long polls a lease request belongs to ({@link #releaseWaiters} starts a new one). */
    long waitRound() {
        return waiters.get();
    }

    /**
     * Ends every lease request's wait now, with no build (a server that stops does not keep its idle workers' long polls
     * open for their 20 s); requests made after this wait as usual.
     */
    public void releaseWaiters() {
        waiters.incrementAndGet();
        wakeWorkers();
    }

    /** Waits up to {@code millis} for a build to become waiting (a lease's long poll). */
    void awaitWork(long millis) throws InterruptedException {
        synchronized (queueSignal) {
            queueSignal.wait(millis);
        }
    }

    public QueueBuilds queue() {
        return new QueueBuilds(this);
    }

    public ListBuilds list() {
        return new ListBuilds(this);
    }

    public ShowBuild show() {
        return new ShowBuild(this);
    }

    public AwaitBuilds await() {
        return new AwaitBuilds(this);
    }

    public LeaseBuild lease() {
        return new LeaseBuild(this);
    }

    public Heartbeat heartbeat() {
        return new Heartbeat(this);
    }

    public BuildLogs logs() {
        return new BuildLogs(this);
    }

    /** Deletes the logs of builds that ended long ago (retention). */
    public ExpireBuildLogs expireLogs() {
        return new ExpireBuildLogs(this);
    }

    public CompleteBuild complete() {
        return new CompleteBuild(this);
    }

    public RetryBuild retry() {
        return new RetryBuild(this);
    }

    public CancelBuild cancel() {
        return new CancelBuild(this);
    }

    public CountBuilds countBuilds() {
        return new CountBuilds(this);
    }

    public ExpireLeases expireLeases() {
        return new ExpireLeases(this);
    }

    /** At a server's start: builds left uploading by a stopped server. */
    public RecoverBuilds recover() {
        return new RecoverBuilds(this);
    }

    public ShowDependencies dependencies() {
        return new ShowDependencies(this);
    }

    public DependencyWaits dependencyWaits() {
        return new DependencyWaits(this);
    }

    public SetDependencies setDependencies() {
        return new SetDependencies(this);
    }

    public CreateChroot createChroot() {
        return new CreateChroot(this);
    }

    public ListChroots listChroots() {
        return new ListChroots(this);
    }

    public RemoveChroot removeChroot() {
        return new RemoveChroot(this);
    }

    @Override
    public void close() {
        store.close();
    }
}
