package org.ppaforge.forge;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * One named background task of the {@link Daemon}, on a thread of its own (named after it): its body runs, then waits
 * {@code every}, until {@link #stop}. A body that throws is reported and runs again at its next turn; a body may also
 * loop itself until interrupted (an embedded worker) with a zero interval. A task without a body has no thread: it is
 * work the module does on its own threads once started (the xz regrouping), and the task only owns its clean stop.
 */
final class Task {
    /** What one turn does; it may wait (interruptibly) for work instead of returning at once. */
    @FunctionalInterface
    interface Body {
        void run() throws InterruptedException;
    }

    private final String name;
    private final Duration every;
    private final Body body;
    private final Runnable onStop;
    private final Consumer<String> problems;
    private final Consumer<Boolean> ran;
    private final java.util.function.BooleanSupplier mayRun;
    private volatile Thread thread;
    private volatile boolean stopping;

    /** @param ran told after each turn whether it ended normally (true) or threw (false) */
    Task(String name, Duration every, Body body, Runnable onStop, Consumer<String> problems, Consumer<Boolean> ran) {
        this(name, every, body, onStop, problems, ran, () -> true);
    }

    /**
     * @param mayRun asked before each turn: whether this server runs the task now (see {@link Leadership}); when not,
     *     the turn is skipped and asked again after {@link #STANDBY} at most, so that a task another server dropped is
     *     taken over within that time
     */
    Task(
            String name,
            Duration every,
            Body body,
            Runnable onStop,
            Consumer<String> problems,
            Consumer<Boolean> ran,
            java.util.function.BooleanSupplier mayRun) {
        this.mayRun = mayRun;
        this.name = name;
        this.every = every;
        this.body = body;
        this.onStop = onStop;
        this.problems = problems;
        this.ran = ran;
    }

    String name() {
        return name;
    }

    Duration every() {
        return every;
    }

    void start() {
        if (body == null) {
            return;
        }
        Thread t = new Thread(this::loop, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** How often a server that does not run a task asks again whether it may. */
    static final Duration STANDBY = Duration.ofSeconds(15);

    private void loop() {
        while (!stopping && !Thread.currentThread().isInterrupted()) {
            try {
                if (!mayRun.getAsBoolean()) {
                    Thread.sleep(Math.max(1, Math.min(every.isZero() ? 2000 : every.toMillis(), STANDBY.toMillis())));
                    continue;
                }
                body.run();
                ran.accept(true);
                if (!every.isZero()) {
                    Thread.sleep(every.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!stopping) {
                    problems.accept(name + ": " + e.getMessage());
                    ran.accept(false);
                }
                try {
                    Thread.sleep(Math.max(every.toMillis(), 1000));
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** Tells the task to stop (its own stop: a worker asks for no more builds) without waiting for it. */
    void signal() {
        stopping = true;
        onStop.run();
    }

    /** Stops the task: its own stop first (a worker hands back its lease), then an interrupt; waits up to {@code wait}. */
    void stop(Duration wait) {
        stopping = true;
        onStop.run();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean running() {
        Thread t = thread;
        return body == null ? !stopping : t != null && t.isAlive();
    }
}
