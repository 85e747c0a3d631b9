package org.ppaforge.archive.publish;

import java.util.function.Supplier;

/**
 * Lets concurrent callers share one run of a task that reads the current state when it starts: a republish
 * after a write. A caller whose change is committed calls {@link #request}; if a run is going on, it waits for
 * the next one, which starts after every waiting caller asked and so covers all of them. N writers to one
 * archive at once cost about two republishes instead of N, and each still returns only once its change is
 * published.
 */
public final class Coalescer<T> {
    private long asked;
    private long covered;
    private boolean running;
    private T result;
    private RuntimeException failure;

    /** How many requests were made so far (for tests that hold a run until others have asked). */
    synchronized long asked() {
        return asked;
    }

    /**
     * Runs {@code task} (which returns non-null), or waits for a run that started after this call; returns that run's
     * result or throws its failure.
     */
    public T request(Supplier<T> task) {
        long upTo;
        synchronized (this) {
            long mine = ++asked;
            while (covered < mine && running) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a republish", e);
                }
            }
            if (covered >= mine) { // a run that started after this request has finished
                if (failure != null) {
                    throw failure;
                }
                return result;
            }
            running = true;
            upTo = asked; // every request so far was made after its change was committed: this run sees them all
        }
        T r = null;
        RuntimeException f = null;
        try {
            r = task.get();
            return r;
        } catch (RuntimeException e) {
            f = e;
            throw e;
        } finally {
            synchronized (this) {
                running = false;
                covered = upTo;
                result = r;
                failure = f != null ? f : r == null ? new IllegalStateException("the republish failed") : null;
                notifyAll();
            }
        }
    }
}
