package org.ppaforge.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import org.ppaforge.client.PipelineClient;
import org.ppaforge.common.Times;
import org.ppaforge.pipeline.Run;

/**
 * Tells a terminal what a pipeline run is doing while this process runs it ({@code ppa pipeline run --here}): a line
 * each time a step changes state ("build:bookworm: running", "build:bookworm: passed in 48 s: built ..."), read from
 * the run as stored, every half second, on a thread of its own.
 */
final class RunWatcher implements AutoCloseable {
    private final PipelineClient client;
    private final long id;
    private final PrintWriter err;
    private final Map<String, String> seen = new HashMap<>();
    private final Thread thread;
    private volatile boolean stop;

    RunWatcher(PipelineClient client, long id, PrintWriter err) {
        this.client = client;
        this.id = id;
        this.err = err;
        this.thread = new Thread(this::watch, "run-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (!stop) {
            poll();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Prints the steps that changed since the last look. */
    synchronized void poll() {
        Run r;
        try {
            r = client.run(id);
        } catch (RuntimeException e) {
            return; // the next look tries again; the run's own result is what counts
        }
        for (Run.Step s : r.steps()) {
            if (s.state().equals(seen.put(s.name(), s.state()))) {
                continue;
            }
            if (s.state().equals("waiting")) {
                continue; // every step starts so: only its changes are news
            }
            StringBuilder line = new StringBuilder(s.name()).append(": ").append(s.state());
            if (s.startedAt() != null && s.finishedAt() != null) {
                line.append(" in ").append(Times.span(java.time.Duration.between(s.startedAt(), s.finishedAt())));
            }
            if (s.message() != null && !s.state().equals("running")) {
                line.append(": ").append(s.message().lines().findFirst().orElse(""));
            }
            err.println(line);
        }
        err.flush();
    }

    /** Waits until the run has ended (the server runs it), looking once a second; returns it as it ended. */
    static Run awaitEnd(PipelineClient client, long id) throws InterruptedException {
        while (true) {
            Run r = client.run(id);
            if (r.isFinal()) {
                return r;
            }
            Thread.sleep(1000);
        }
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        poll(); // the last changes
    }
}
