package org.ppaforge.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * What keeps requests with bodies (uploads, API writes) from holding the server. They run on threads of their own, so
 * however many are waiting for slow clients, apt's reads and the health check answer on theirs; one client address
 * has at most {@link #PER_CLIENT} of them at once (429 past that); and a body that stalls, or arrives slower than
 * {@link Pace#minBytesPerSecond} once its grace time is over, has its connection closed.
 */
final class BodyGuard implements AutoCloseable {
    /** Requests with bodies one client address may have in flight. */
    static final int PER_CLIENT = 8;

    /**
     * How fast a body must arrive: no gap longer than {@code stall}, and after {@code grace}, on average at least
     * {@code minBytesPerSecond} since the start.
     */
    record Pace(Duration stall, Duration grace, long minBytesPerSecond) {
        static final Pace DEFAULT = new Pace(Duration.ofSeconds(30), Duration.ofSeconds(30), 16 * 1024);
    }

    private final Pace pace;
    private final ExecutorService threads;
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

    BodyGuard(Pace pace) {
        this.pace = pace;
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(32, 32, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "ppaforge-body-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.threads = pool;
    }

    /** On an I/O thread: runs {@code handler} on the body threads, the body watched from now on. */
    void dispatch(HttpServerExchange ex, HttpHandler handler) {
        watch(ex);
        ex.dispatch(threads, handler);
    }

    /**
     * Counts the request against its client address's limit until it completes; past the limit, answers 429, closes
     * the connection without reading the body and returns false.
     */
    boolean admit(HttpServerExchange ex) {
        String client = ex.getSourceAddress().getAddress().getHostAddress();
        if (inFlight.merge(client, 1, Integer::sum) > PER_CLIENT) {
            release(client);
            ex.setPersistent(false);
            ex.getResponseHeaders().put(Headers.RETRY_AFTER, "10");
            String why = "Too many requests at once from " + client + " (at most " + PER_CLIENT + " uploads or writes)";
            PpaServer.text(ex, 429, why, why);
            return false;
        }
        ex.addExchangeCompleteListener((e, next) -> {
            release(client);
            next.proceed();
        });
        return true;
    }

    private void release(String client) {
        inFlight.computeIfPresent(client, (k, v) -> v == 1 ? null : v - 1);
    }

    /**
     * Counts the body's bytes as they are read (by a stream or the multipart parser alike) and checks the pace every
     * so often until the body is whole: a body that stalls or is too slow has its connection closed, and the thread
     * reading it gets an IOException.
     */
    private void watch(HttpServerExchange ex) {
        AtomicLong read = new AtomicLong();
        long start = System.nanoTime();
        long[] lastProgress = {start, 0};
        ex.addRequestWrapper((factory, exchange) -> new Counting(factory.create(), read));
        long every = Math.max(100, Math.min(pace.stall().toMillis(), 2000) / 2);
        XnioExecutor.Key[] key = new XnioExecutor.Key[1];
        key[0] = ex.getIoThread().executeAtInterval(() -> {
            if (ex.isRequestComplete() || ex.isComplete()) {
                key[0].remove(); // whole: what follows (processing an upload) is not the client's pace
                return;
            }
            long now = System.nanoTime();
            long n = read.get();
            if (n != lastProgress[1]) {
                lastProgress[0] = now;
                lastProgress[1] = n;
            }
            double afterGrace = (now - start) / 1e9 - pace.grace().toSeconds();
            if (now - lastProgress[0] > pace.stall().toNanos() || (afterGrace > 0 && n < afterGrace * pace.minBytesPerSecond())) {
                key[0].remove();
                IoUtils.safeClose(ex.getConnection());
            }
        }, every, TimeUnit.MILLISECONDS);
        ex.addExchangeCompleteListener((e, next) -> {
            key[0].remove();
            next.proceed();
        });
    }

    /**
     * The request body as a stream that reports a connection closed under it (by the pace rule, or by the client) as
     * the IOException it is: Undertow's own stream throws a NullPointerException when read after its connection closed.
     */
    static java.io.InputStream body(HttpServerExchange ex) {
        return new java.io.FilterInputStream(ex.getInputStream()) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (RuntimeException e) {
                    throw closed(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (RuntimeException e) {
                    throw closed(e);
                }
            }

            private IOException closed(RuntimeException e) {
                return new IOException("the connection closed while the request body was read", e);
            }
        };
    }

    /** A request body's bytes, counted as they are read. */
    private static final class Counting extends AbstractStreamSourceConduit<StreamSourceConduit> {
        private final AtomicLong read;

        Counting(StreamSourceConduit next, AtomicLong read) {
            super(next);
            this.read = read;
        }

        private long count(long n) {
            if (n > 0) {
                read.addAndGet(n);
            }
            return n;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return (int) count(super.read(dst));
        }

        @Override
        public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
            return count(super.read(dsts, offs, len));
        }

        @Override
        public long transferTo(long position, long count, FileChannel target) throws IOException {
            return count(super.transferTo(position, count, target));
        }

        @Override
        public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
            return count(super.transferTo(count, throughBuffer, target));
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
