package org.ppaforge.archive.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CoalescerTest {
    /** A run that reads the "committed" state when it starts and takes a while, like a republish. */
    private static long slowRead(AtomicLong committed, AtomicInteger runs, long millis) {
        runs.incrementAndGet();
        long seen = committed.get();
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return seen;
    }

    @Test
    void everyCallerGetsARunThatSawItsChangeAndConcurrentCallersShareRuns() throws Exception {
        Coalescer<Long> c = new Coalescer<>();
        AtomicLong committed = new AtomicLong();
        AtomicInteger runs = new AtomicInteger();
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<long[]>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    long mine = committed.incrementAndGet(); // the caller's change, committed before it asks
                    return new long[] {
                        mine,
                        c.request(() -> {
                            long seen = slowRead(committed, runs, 0);
                            // The first run is held until every caller has asked: the other seven are then waiting for
                            // the next run, which must serve them all (no sleeping and hoping for an overlap).
                            while (runs.get() == 1 && c.asked() < callers) {
                                Thread.onSpinWait();
                            }
                            return seen;
                        })
                    };
                }));
            }
            go.countDown();
            for (Future<long[]> f : results) {
                long[] r = f.get();
                assertThat(r[1]).as("the run a caller got saw its change").isGreaterThanOrEqualTo(r[0]);
            }
            assertThat(runs.get())
                    .as("8 callers at once: the held run and one shared run")
                    .isEqualTo(2);
            // A caller after all of them gets a run of its own, which sees everything.
            long last = committed.incrementAndGet();
            assertThat(c.request(() -> slowRead(committed, runs, 0))).isEqualTo(last);
            assertThat(runs.get()).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedRunFailsTheCallersItCoveredAndTheNextCallerRunsAgain() throws Exception {
        Coalescer<String> c = new Coalescer<>();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> first = pool.submit(() -> c.request(() -> {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                throw new IllegalStateException("disk full");
            }));
            running.await();
            // Asks while the failing run is going on: it waits for the next run, which it makes itself.
            Future<String> second = pool.submit(() -> c.request(() -> "published"));
            while (c.asked() < 2) { // the second caller has asked, and must now wait for the run in progress
                Thread.onSpinWait();
            }
            assertThat(second.isDone())
                    .as("a caller waits while a run is going on")
                    .isFalse();
            release.countDown();
            assertThatThrownBy(first::get).hasRootCauseMessage("disk full");
            assertThat(second.get()).isEqualTo("published");
            assertThat(c.request(() -> "again")).isEqualTo("again");
        } finally {
            pool.shutdownNow();
        }
    }
}
