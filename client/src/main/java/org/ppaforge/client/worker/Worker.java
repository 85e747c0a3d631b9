package org.ppaforge.client.worker;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.ppaforge.farm.LeaseBuild;

/**
 * A build worker: a client of a ppaforge server's API, like dput. It leases a build (a long poll) and runs it
 * ({@link BuildJob}), one at a time. Killed, it simply stops heartbeating: the server gives the build to another worker
 * when the lease runs out.
 */
public final class Worker implements Runnable {
    private final WorkerApi api;
    private final String name;
    private final List<String> architectures;
    private final Path directory;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Consumer<String> say = line -> {};
    private Duration heartbeat = Duration.ofSeconds(5);
    private int pollSeconds = 20;
    private volatile Thread thread;
    private volatile BuildJob job;
    private Function<String, Path> localChroots = sha -> null;

    /**
     * @param server the server's base URL, e.g. {@code http://127.0.0.1:8080}
     * @param token the worker token (leases are bound to it)
     * @param directory where chroot tarballs are cached and builds run
     */
    public Worker(String server, String token, String name, List<String> architectures, Path directory) {
        this.api = new WorkerApi(server, token, name);
        this.name = name;
        this.architectures = List.copyOf(architectures);
        this.directory = directory;
    }

    /** Where the worker reports what it does (one line per step). */
    public Worker say(Consumer<String> say) {
        this.say = say;
        return this;
    }

    public Worker heartbeat(Duration every) {
        this.heartbeat = every;
        return this;
    }

    /**
     * Where a chroot tarball already lies on this machine, by its SHA-256 (the server's own pool, for its embedded
     * workers): linked into the cache instead of fetched, so the machine keeps one copy. Null: fetch it.
     */
    public Worker localChroots(Function<String, Path> localChroots) {
        this.localChroots = localChroots;
        return this;
    }

    /** How long one lease request waits for a build to come (default 20 s). */
    public Worker pollSeconds(int seconds) {
        this.pollSeconds = seconds;
        return this;
    }

    /**
     * Stops asking for builds; a build running now is stopped and given back to the queue at once (one whose sbuild has
     * already ended is finished: its result is sent).
     */
    public void stop() {
        running.set(false);
        BuildJob j = job;
        if (j != null) {
            j.stopNow();
        }
    }

    /** Stops and waits until the worker's loop has ended (at most a lease request and the build in hand). */
    public void stopAndWait(Duration timeout) throws InterruptedException {
        stop();
        Thread t = thread;
        if (t != null) {
            t.join(timeout.toMillis());
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        job = new BuildJob(api, name, directory, heartbeat, say, localChroots);
        while (running.get()) {
            try {
                Optional<LeaseBuild.Lease> lease = api.lease(architectures, pollSeconds);
                if (lease.isPresent()) {
                    job.run(lease.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                say.accept("worker " + name + ": " + e.getMessage() + " (trying again in 5 s)");
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
