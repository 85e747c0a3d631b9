package org.ppaforge.server;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.handlers.HttpContinueReadHandler;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.client.wire.HttpStatuses;
import org.ppaforge.common.ForgeException;
import org.ppaforge.farm.Builds;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.Metrics;
import org.ppaforge.web.Web;
import org.xnio.Options;

/**
 * The ppaforge HTTP server. Serves every archive's published tree for apt:
 * {@code /<archive>/dists/...} and {@code /<archive>/pool/...} with HEAD, Range,
 * Last-Modified / If-Modified-Since and ETag / If-None-Match (Undertow's resource handler),
 * and the archive's public key at {@code /<archive>/key.asc}. Nothing else of the publish
 * directory is reachable (no listings, no dot files, no {@code ..}). The HTTP layer holds no
 * rules: keys come from the {@code ExportKey} verb.
 */
public final class PpaServer implements AutoCloseable {

    /**
     * The HTTP stack's start/stop notices (java.util.logging, INFO) are not ppaforge's output. Loggers are weakly
     * held, so the quieted ones are kept here. Done in the server, not in every command's start-up.
     */
    private static final List<Logger> QUIET = new ArrayList<>();

    static {
        for (String name : new String[] {"io.undertow", "org.xnio", "org.jboss"}) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.WARNING);
            QUIET.add(logger);
        }
    }

    private final Ppaforge ppa;
    private final Builds farm;
    private final BodyGuard guard;
    private final Api api;
    private final SmallFiles small;
    /** The bucket that serves published trees when the pool is in S3 (every server the same bytes); null: the local tree. */
    private final BucketFiles bucket;

    private final Path publishRoot;
    /** The apt trees' and keys' own threads: however many uploads wait for slow clients, reads are answered. */
    private final ExecutorService readers =
            Executors.newFixedThreadPool(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "ppaforge-read");
                t.setDaemon(true);
                return t;
            });

    private final Undertow undertow;
    private final Web web;
    private final GracefulShutdownHandler graceful;
    private final boolean tls;
    /** How long {@link #close} waits for requests in flight (an upload being processed, a long include). */
    static final long DRAIN_MILLIS = 30_000;

    private final AtomicBoolean closed = new AtomicBoolean();
    /** Where the write log goes (see the constructor). */
    private final WriteLog writeLog;

    private final Metrics metrics;

    /**
     * Upload size limits are {@code ppa.uploadLimits()}. Makes the publish directory when it is missing (a
     * fresh data directory has none until its first archive is published), so archives created later are
     * served too.
     */
    public PpaServer(Forge forge, String bind, int port) throws IOException {
        this(forge, bind, port, Timeouts.DEFAULT);
    }

    public PpaServer(Forge forge, String bind, int port, Timeouts timeouts) throws IOException {
        this(forge, bind, port, timeouts, null, line -> {});
    }

    public PpaServer(Forge forge, String bind, int port, Timeouts timeouts, SSLContext tls) throws IOException {
        this(forge, bind, port, timeouts, tls, line -> {});
    }

    /**
     * With {@code tls} (see {@link Tls#context}), the server speaks HTTPS only; null: plain HTTP. The write log goes to
     * {@code log}: one line per request that is not a GET or HEAD (uploads, API writes), with its answer; {@code ppa
     * serve} prints it. Reads are not logged.
     */
    public PpaServer(Forge forge, String bind, int port, Timeouts timeouts, SSLContext tls, Consumer<String> log)
            throws IOException {
        Ppaforge ppa = forge.archive();
        this.farm = forge.farm();
        this.ppa = ppa;
        this.writeLog = new WriteLog(log);
        this.metrics = forge.metrics();
        HttpMetrics meters = new HttpMetrics(metrics.registry());
        this.tls = tls != null;
        this.guard = new BodyGuard(
                timeouts.pace(),
                secret -> ppa.authenticate().token(secret).identify().id());
        this.api = new Api(forge, guard);
        HttpHandler api = this.api.routes();
        HttpHandler uploads = new UploadQueue(ppa, guard);
        Path root = Files.createDirectories(ppa.publishRoot());
        this.publishRoot = root;
        this.small = new SmallFiles(ppa::publishes);
        this.bucket = ppa.sharedTrees() == null ? null : new BucketFiles(ppa.sharedTrees());
        // Every missing path answers the same (a missing file, a missing archive, a private one to a stranger).
        HttpHandler root404 = exchange -> text(exchange, 404, "Not Found", NO_SUCH_FILE);
        ResourceHandler files = new ResourceHandler(
                        PathResourceManager.builder()
                                .setBase(root)
                                .setTransferMinSize(16 * 1024)
                                // Links are followed without the per-request check of every path component (a third of
                                // a small
                                // file's serving time): the tree holds only hard links and files ppaforge wrote, and
                                // paths with ".." or
                                // dot files never reach this handler.
                                .setCaseSensitive(true)
                                .setFollowLinks(true)
                                .setSafePaths(new String[0])
                                .setETagFunction(TreePaths::etag)
                                .build(),
                        root404)
                .setDirectoryListingEnabled(false)
                .setMimeMappings(TreePaths.MIME)
                .setCachable(exchange -> true)
                .setCacheTime(null);
        this.web = new Web(forge);
        HttpHandler pages = new WebPages(web, readers, guard, this.tls);
        HttpHandler router = new HttpHandler() {
            @Override
            public void handleRequest(HttpServerExchange exchange) throws Exception {
                if (exchange.getRelativePath().startsWith("/api/")) {
                    api.handleRequest(exchange);
                    return;
                }
                if (exchange.getRelativePath().equals("/metrics")) {
                    if (exchange.isInIoThread()) {
                        exchange.dispatch(readers, this); // the token is checked against the store
                        return;
                    }
                    serveMetrics(exchange);
                    return;
                }
                if (WebPages.isPage(exchange.getRelativePath())) {
                    pages.handleRequest(exchange);
                    return;
                }
                if (exchange.getRelativePath().startsWith("/upload/")) {
                    uploads.handleRequest(exchange);
                    return;
                }
                if (exchange.isInIoThread() && !servableHere(exchange)) {
                    // The access check needs the store (a private archive's token, a stale cache) or the key is
                    // read from it: off the I/O threads, onto the readers' own threads, which uploads and API writes
                    // never occupy.
                    exchange.dispatch(readers, this);
                    return;
                }
                serveTree(exchange, files, root404);
            }
        };
        // Clients that send "Expect: 100-continue" (curl for every PUT, many HTTP libraries for large
        // bodies) wait for the 100 before sending the body (curl for one second): it goes out when a
        // handler starts reading, so a refusal (401, 413) is answered before any body is sent.
        HttpHandler logged = exchange -> {
            if (exchange.getRequestURI().length() > MAX_PATH) {
                exchange.setPersistent(false);
                text(exchange, 414, "URI Too Long", "the request path is longer than " + MAX_PATH + " characters");
                return;
            }
            boolean write = !Methods.GET.equals(exchange.getRequestMethod())
                    && !Methods.HEAD.equals(exchange.getRequestMethod());
            long start = System.nanoTime();
            exchange.addExchangeCompleteListener((ex, next) -> {
                long nanos = System.nanoTime() - start;
                meters.record(ex, nanos);
                if (write) {
                    writeLog.write(ex, nanos / 1_000_000);
                }
                next.proceed();
            });
            router.handleRequest(exchange);
        };
        Undertow.Builder builder = Undertow.builder();
        if (tls == null) {
            builder.addHttpListener(port, bind);
        } else {
            builder.addHttpsListener(port, bind, tls);
        }
        this.graceful = new GracefulShutdownHandler(new HttpContinueReadHandler(logged));
        this.undertow = builder.setHandler(graceful)
                // Slow or idle clients do not hold connections for ever: headers must arrive within the parse timeout,
                // and a connection with no request in flight is closed after the idle timeout.
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int)
                        timeouts.headers().toMillis())
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int)
                        timeouts.idle().toMillis())
                // A read that waits longer than this for the next byte of a body fails (and the connection closes): a
                // thread blocked on a body that no longer comes is given back. BodyGuard checks the average pace.
                .setSocketOption(
                        Options.READ_TIMEOUT, (int) timeouts.bodyStall().toMillis())
                .build();
    }

    /**
     * How long a client may take to send its request headers, how long an idle connection stays open, and how fast a
     * request body (an upload) must arrive: no gap longer than {@code bodyStall}, and after {@code bodyGrace} at least
     * {@code bodyMinBytesPerSecond} on average.
     */
    public record Timeouts(
            Duration headers, Duration idle, Duration bodyStall, Duration bodyGrace, long bodyMinBytesPerSecond) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(60));

        public Timeouts(Duration headers, Duration idle) {
            this(
                    headers,
                    idle,
                    BodyGuard.Pace.DEFAULT.stall(),
                    BodyGuard.Pace.DEFAULT.grace(),
                    BodyGuard.Pace.DEFAULT.minBytesPerSecond());
        }

        BodyGuard.Pace pace() {
            return new BodyGuard.Pace(bodyStall, bodyGrace, bodyMinBytesPerSecond);
        }
    }

    /** The longest request path (with its query) answered; longer ones get 414. */
    static final int MAX_PATH = 4096;

    private void serveTree(HttpServerExchange exchange, ResourceHandler files, HttpHandler root404) throws Exception {
        {
            if (!Methods.GET.equals(exchange.getRequestMethod()) && !Methods.HEAD.equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
                text(exchange, 405, "Method Not Allowed", exchange.getRequestMethod() + " is not allowed here");
                return;
            }
            String path = exchange.getRelativePath();
            boolean tree = TreePaths.isTreePath(path);
            var keyMatch = TreePaths.KEY_PATH.matcher(path);
            if ((tree || keyMatch.matches()) && !mayRead(exchange, path.substring(1, path.indexOf('/', 1)), tree)) {
                return;
            }
            if (tree && bucket != null) {
                if (exchange.isInIoThread()) {
                    exchange.dispatch(readers, ex -> serveTree(ex, files, root404)); // the bucket is waited for
                    return;
                }
                exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, TreePaths.cacheControl(path));
                String name = path.substring(path.lastIndexOf('/') + 1);
                if (!bucket.serve(exchange, path, TreePaths.contentType(name, path))) {
                    exchange.getResponseHeaders().remove(Headers.CACHE_CONTROL);
                    root404.handleRequest(exchange);
                }
                return;
            }
            if (tree) {
                exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, TreePaths.cacheControl(path));
                String name = path.substring(path.lastIndexOf('/') + 1);
                if (small.serve(exchange, publishRoot.resolve(path.substring(1)), TreePaths.contentType(name, path))) {
                    return;
                }
                if (name.indexOf('.') < 0) { // Release, InRelease, Packages, Sources: text; by-hash names: by content
                    exchange.addResponseCommitListener(ex -> {
                        if (ex.getStatusCode() == 200 || ex.getStatusCode() == 206) {
                            ex.getResponseHeaders()
                                    .put(
                                            Headers.CONTENT_TYPE,
                                            path.contains("/by-hash/")
                                                    ? "application/octet-stream"
                                                    : "text/plain; charset=utf-8");
                        }
                    });
                }
                files.handleRequest(exchange);
                return;
            }
            if (keyMatch.matches()) {
                serveKey(exchange, keyMatch.group(1));
                return;
            }
            root404.handleRequest(exchange);
        }
    }

    /**
     * Whether a request can be answered on the I/O thread without waiting for anything: a tree path of an archive the
     * access cache knows to be public, or private with a token it checked (then the file comes from {@link SmallFiles},
     * or the file handler dispatches).
     */
    private boolean servableHere(HttpServerExchange exchange) {
        String path = exchange.getRelativePath();
        if (!TreePaths.isTreePath(path)) {
            return false;
        }
        Boolean isPrivate = ppa.accessCache().privateIfFresh(path.substring(1, path.indexOf('/', 1)));
        if (isPrivate == null) {
            return false; // the store must be asked: on a reader thread
        }
        if (!isPrivate) {
            return true;
        }
        // A private archive: answerable here when its token was checked within the second.
        return ppa.authenticate().token(Api.token(exchange)).isCached();
    }

    /**
     * A private archive answers only requests whose token covers it (apt sends it as the Basic password from
     * auth.conf, without being asked). To anyone else it answers as a missing archive does: a tree path 404 "no such
     * file", the key the not-found message.
     */
    private boolean mayRead(HttpServerExchange exchange, String archive, boolean tree) {
        try {
            ppa.authenticate().token(Api.token(exchange)).toRead(archive);
            return true;
        } catch (ForgeException e) {
            text(exchange, 404, "Not Found", tree ? NO_SUCH_FILE : e.getMessage());
            return false;
        }
    }

    private static final String NO_SUCH_FILE = "no such file";

    /**
     * {@code GET /metrics}: Prometheus' text format, to an admin token (Prometheus sends it with {@code authorization:
     * credentials_file}); {@code ppa serve --metrics-port} serves the same without a token on an address of its own.
     */
    private void serveMetrics(HttpServerExchange exchange) {
        if (!Methods.GET.equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET");
            text(exchange, 405, "Method Not Allowed", exchange.getRequestMethod() + " is not allowed here");
            return;
        }
        String scrape;
        try {
            scrape = metrics.scrape(Caller.token(Api.token(exchange)));
        } catch (ForgeException e) {
            int status = HttpStatuses.of(e.kind());
            if (status == 401) {
                exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"ppaforge\"");
            }
            text(exchange, status, e.getMessage(), "the metrics need an admin token: " + e.getMessage());
            return;
        }
        MetricsServer.send(exchange, scrape);
    }

    private void serveKey(HttpServerExchange exchange, String archive) {
        String key;
        try {
            key = ppa.exportKey().archive(archive).call();
        } catch (ForgeException e) {
            text(exchange, 404, "Not Found", e.getMessage());
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/pgp-keys");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "max-age=0, must-revalidate");
        byte[] bytes = key.getBytes(StandardCharsets.US_ASCII);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, bytes.length);
        if (!Methods.HEAD.equals(exchange.getRequestMethod())) {
            exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
        }
    }

    /**
     * A text answer with its reason phrase (made fit for a status line) and body (clients such as dput show
     * one or the other).
     */
    static void text(HttpServerExchange exchange, int status, String reason, String body) {
        exchange.setStatusCode(status);
        exchange.setReasonPhrase(Api.reasonPhrase(reason));
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(body.endsWith("\n") ? body : body + "\n");
    }

    public PpaServer start() {
        undertow.start();
        return this;
    }

    /** {@code https} or {@code http}. */
    public String scheme() {
        return tls ? "https" : "http";
    }

    /** The port actually listened on (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** Stops: new requests get 503 at once, requests in flight finish (up to 30 s), then the listener closes. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Idle workers' long polls end now, not after their 20 s: answered while the server still runs, then once more
        // for a poll that came in between, once no new request is taken.
        farm.releaseWaiters();
        graceful.shutdown();
        farm.releaseWaiters();
        try {
            graceful.awaitShutdown(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // The last exchanges' completion runs on the I/O threads just after the drain counts them done; stopping
            // those threads under it made Undertow log an error (UT005090) on an idle server's stop.
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        undertow.stop();
        guard.close();
        readers.shutdownNow();
    }
}
