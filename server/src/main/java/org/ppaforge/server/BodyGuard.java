package org.ppaforge.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.function.Function;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * What keeps requests with bodies (uploads, API writes, web forms) from holding the server. They run on threads of their
 * own, so however many are waiting for slow clients, apt's reads and the health check answer on theirs. Admission is
 * decided on the I/O thread, before a thread is taken:
 * <ul>
 *   <li>a request carrying a known token (an uploader's include, a worker's heartbeat or result) runs on the trusted
 *       threads, at most {@link #PER_TOKEN} at once per token;</li>
 *   <li>anything else (no token or an unknown one, dput's anonymous HTTP, sign-in and other forms) runs on the public
 *       threads: at most {@link #PER_CLIENT} at once per client address and {@link #PUBLIC_TOTAL} in all, so slow
 *       clients from many addresses cannot take the threads that token holders and workers need.</li>
 * </ul>
 * Past a limit the answer is 429 at once, without reading the body. A body that stalls, or arrives slower than
 * {@link Pace#minBytesPerSecond} once its grace time is over, has its connection closed.
 */
final class BodyGuard implements AutoCloseable {
    /** Requests with bodies one client address may have in flight without a known token. */
    static final int PER_CLIENT = 8;
    /** Requests with bodies without a known token, from all addresses together (the public threads). */
    static final int PUBLIC_TOTAL = 16;
    /** Requests with bodies one token may have in flight (the trusted threads are {@link #TRUSTED_THREADS}). */
    static final int PER_TOKEN = 16;

    static final int TRUSTED_THREADS = 32;

    /**
     * How fast a body must arrive: no gap longer than {@code stall}, and after {@code grace}, on average at least
     * {@code minBytesPerSecond} since the start.
     */
    record Pace(Duration stall, Duration grace, long minBytesPerSecond) {
        static final Pace DEFAULT = new Pace(Duration.ofSeconds(30), Duration.ofSeconds(30), 16 * 1024);
    }

    private final Pace pace;
    private final ExecutorService publicThreads;
    private final ExecutorService trustedThreads;
    private final Function<String, Long> tokens;
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger publicInFlight = new AtomicInteger();

    /** @param tokens the id of a known, unrevoked token, or null (looked up through the core's access cache) */
    BodyGuard(Pace pace, Function<String, Long> tokens) {
        this.pace = pace;
        this.tokens = tokens;
        this.publicThreads = pool("ppaforge-body-", PUBLIC_TOTAL);
        this.trustedThreads = pool("ppaforge-body-trusted-", TRUSTED_THREADS);
    }

    private static ExecutorService pool(String name, int size) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * On an I/O thread: admits the request (429 past its limit: nothing more happens) and runs {@code handler} on the
     * trusted or the public body threads, the body watched from now on.
     */
    void dispatch(HttpServerExchange ex, HttpHandler handler) {
        String secret = Api.token(ex);
        Long token = null;
        if (secret != null && !secret.isBlank()) {
            try {
                token = tokens.apply(secret);
            } catch (RuntimeException e) {
                token = null; // unknown or revoked: the verb answers 401 in its turn, on the public threads
            }
        }
        String client = ex.getSourceAddress().getAddress().getHostAddress();
        String key = token != null ? "token " + token : client;
        int limit = token != null ? PER_TOKEN : PER_CLIENT;
        boolean counted = token == null;
        if (counted && publicInFlight.incrementAndGet() > PUBLIC_TOTAL) {
            publicInFlight.decrementAndGet();
            refuse(
                    ex,
                    "Too many uploads, form posts or writes without a token at once (at most " + PUBLIC_TOTAL
                            + " in all); " + "requests with a token have threads of their own");
            return;
        }
        if (inFlight.merge(key, 1, Integer::sum) > limit) {
            release(key);
            if (counted) {
                publicInFlight.decrementAndGet();
            }
            refuse(
                    ex,
                    token != null
                            ? "Too many requests at once with one token (at most " + PER_TOKEN + ")"
                            : "Too many requests at once from " + client + " (at most " + PER_CLIENT
                                    + " uploads or writes)");
            return;
        }
        ex.addExchangeCompleteListener((e, next) -> {
            release(key);
            if (counted) {
                publicInFlight.decrementAndGet();
            }
            next.proceed();
        });
        watch(ex);
        ex.dispatch(token != null ? trustedThreads : publicThreads, handler);
    }

    private static void refuse(HttpServerExchange ex, String why) {
        ex.setPersistent(false);
        ex.getResponseHeaders().put(Headers.RETRY_AFTER, "10");
        PpaServer.text(ex, 429, why, why);
    }

    private void release(String key) {
        inFlight.computeIfPresent(key, (k, v) -> v == 1 ? null : v - 1);
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
        ex.addRequestWrapper((factory, exchange) -> new Counting(factory.create(), read, exchange));
        long every = Math.max(100, Math.min(pace.stall().toMillis(), 2000) / 2);
        XnioExecutor.Key[] key = new XnioExecutor.Key[1];
        key[0] = ex.getIoThread()
                .executeAtInterval(
                        () -> {
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
                            double afterGrace =
                                    (now - start) / 1e9 - pace.grace().toSeconds();
                            if (now - lastProgress[0] > pace.stall().toNanos()
                                    || (afterGrace > 0 && n < afterGrace * pace.minBytesPerSecond())) {
                                key[0].remove();
                                IoUtils.safeClose(ex.getConnection());
                            }
                        },
                        every,
                        TimeUnit.MILLISECONDS);
        ex.addExchangeCompleteListener((e, next) -> {
            key[0].remove();
            next.proceed();
        });
    }

    /**
     * The request body as a stream that reports a connection closed under it (by the pace rule, or by the client) as
     * the IOException it is: Undertow's own stream throws a NullPointerException when read after its connection closed.
     */
    static InputStream body(HttpServerExchange ex) {
        return new FilterInputStream(ex.getInputStream()) {
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

    private static final AttachmentKey<Long> MAX_BODY = AttachmentKey.create(Long.class);

    /**
     * Caps the request body at {@code max} bytes as it is read, whatever its framing: a chunked body has no length to
     * check before it is read, and Undertow's entity limit, set by the handler, did not stop one here (an 82 KB chunked
     * include went through a 16 KiB limit). The read that goes past it throws {@link RequestTooBigException}.
     */
    static void limit(HttpServerExchange ex, long max) {
        ex.putAttachment(MAX_BODY, max);
    }

    /** Whether {@code e} (or what caused it) is a body that went past its limit. */
    static boolean tooBig(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RequestTooBigException) {
                return true;
            }
        }
        return false;
    }

    /** A request body's bytes, counted as they are read, and stopped at the exchange's limit ({@link #limit}). */
    private static final class Counting extends AbstractStreamSourceConduit<StreamSourceConduit> {
        private final AtomicLong read;
        private final HttpServerExchange exchange;

        Counting(StreamSourceConduit next, AtomicLong read, HttpServerExchange exchange) {
            super(next);
            this.read = read;
            this.exchange = exchange;
        }

        private long count(long n) throws RequestTooBigException {
            if (n > 0) {
                long total = read.addAndGet(n);
                Long max = exchange.getAttachment(MAX_BODY);
                if (max != null && total > max) {
                    throw new RequestTooBigException("the request body is larger than " + max + " bytes");
                }
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
        publicThreads.shutdownNow();
        trustedThreads.shutdownNow();
    }
}
