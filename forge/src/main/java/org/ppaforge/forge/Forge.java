package org.ppaforge.forge;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.verb.CollectGarbage;
import org.ppaforge.client.Clients;
import org.ppaforge.client.local.LocalClients;
import org.ppaforge.farm.Builds;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.qa.CoverageCheck;
import org.ppaforge.qa.Qa;

/**
 * The composition root: opens every module once from one {@link ForgeConfig}, in dependency order (archive core, build
 * farm, QA, pipelines), and closes them in reverse. Every front end (the server, the CLI's local mode, tests,
 * benchmarks) gets its modules here; none is ever missing. A module is opened when it is first asked for (its
 * dependencies first), so a one-shot command that needs only the archive core opens only that one; a server asks for
 * all of them at start. A server's background work is the {@link Daemon}'s.
 */
public final class Forge implements AutoCloseable {
    private final ForgeConfig config;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final AtomicReference<String> baseUrl = new AtomicReference<>();
    private final Supplier<Ppaforge> archive;
    private final Supplier<Builds> farm;
    private final Supplier<Qa> qa;
    private final Supplier<Pipelines> pipelines;
    private boolean closed;

    private Forge(ForgeConfig config) {
        this.config = config;
        this.archive = once(() -> Ppaforge.open(config.archive()));
        this.farm = once(() -> Builds.open(archive(), config.problems(), config.leaseTime()));
        this.qa = once(() -> Qa.open(archive(), farm()));
        this.pipelines =
                once(() -> Pipelines.open(archive(), farm(), new CoverageCheck(qa()), baseUrl::get, config.problems()));
    }

    /** The forge over {@code config}; the archive core is opened now (a data directory that cannot be used fails here). */
    /**
     * The archive's garbage collection, told what the other modules keep in the pool (the build farm's chroot
     * tarballs): {@code ppa gc} and the daemon's {@code gc} task.
     */
    public CollectGarbage collectGarbage() {
        Set<String> keep = new HashSet<>(chrootTarballs());
        keep.addAll(farm().logs().blobs()); // build logs and .buildinfo files, on shared stores
        keep.addAll(pipelines().runFileBlobs()); // finished runs' logs and artifacts, on shared stores
        return archive().collectGarbage().alsoKeep(keep);
    }

    /** The SHA-256 of every current build environment's tarball. */
    Set<String> chrootTarballs() {
        Set<String> chroots = new HashSet<>();
        farm().listChroots().call().forEach(c -> chroots.add(c.sha256()));
        return chroots;
    }

    /** Applies a retention (old build logs, pipeline runs, rebuild runs); run before {@link #collectGarbage}. */
    public Retention.Result expire(Retention retention, boolean dryRun) {
        return retention.apply(this, dryRun);
    }

    private volatile BackupSchedule backups;

    /** The server's scheduled backups, for the dashboard (empty when none are scheduled). */
    public Optional<BackupSchedule> backups() {
        return Optional.ofNullable(backups);
    }

    void backups(BackupSchedule schedule) {
        this.backups = schedule;
    }

    public static Forge open(ForgeConfig config) {
        Forge forge = new Forge(config);
        forge.archive();
        return forge;
    }

    /** Every module, opened now (a server: everything it answers for is ready before it listens). */
    public Forge openAll() {
        pipelines();
        return this;
    }

    private <T extends AutoCloseable> Supplier<T> once(Supplier<T> open) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                synchronized (Forge.this) {
                    if (closed) {
                        throw new IllegalStateException("the forge is closed");
                    }
                    if (value == null) {
                        value = open.get();
                        opened.push(value);
                    }
                    return value;
                }
            }
        };
    }

    public ForgeConfig config() {
        return config;
    }

    /** The archive core: archives, uploads, publishing, keys, tokens. */
    public Ppaforge archive() {
        return archive.get();
    }

    /** The build farm: the build queue, leases, chroots. */
    public Builds farm() {
        return farm.get();
    }

    public Pipelines pipelines() {
        return pipelines.get();
    }

    /** Coverage and rebuild sets. */
    public Qa qa() {
        return qa.get();
    }

    /**
     * Where the server answers, once it does (pipelines' install tests fetch the archive and call back there); null
     * while no server runs. Set by the {@link Daemon} (or a test that runs a server without one).
     */
    public String baseUrl() {
        return baseUrl.get();
    }

    /** Every module's client in this process, on these modules (closing them leaves the forge open). */
    public Clients clients() {
        return clients(Caller.OPERATOR);
    }

    /** Every module's client in this process, calling as {@code caller} (the verbs decide what it may do). */
    public Clients clients(Caller caller) {
        return new LocalClients(this::archive, this::farm, this::pipelines, this::qa, () -> {}, caller);
    }

    private Metrics metrics;

    /** The server's metrics, made the first time they are asked for (a one-shot command makes none). */
    public synchronized Metrics metrics() {
        if (closed) {
            throw new IllegalStateException("the forge is closed");
        }
        if (metrics == null) {
            metrics = new Metrics(this);
            opened.push(metrics);
        }
        return metrics;
    }

    /** The URL processes on this machine reach a server at: a wildcard address ({@code 0.0.0.0}, {@code [::]}) through loopback. */
    public static String loopback(String url) {
        return url.replace("0.0.0.0", "127.0.0.1").replace("[::]", "127.0.0.1");
    }

    public void serving(String url) {
        baseUrl.set(url);
    }

    /** Closes the modules that were opened, the last opened first. */
    @Override
    public synchronized void close() {
        closed = true;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                // closing the rest anyway
            }
        }
    }
}
