package org.ppaforge.server;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.net.InetSocketAddress;
import org.ppaforge.archive.Caller;
import org.ppaforge.forge.Metrics;

/**
 * {@code ppa serve --metrics-port}: the metrics alone, without a token, on an address of their own (a scraper on a
 * management network, or 127.0.0.1 with a local agent), as Prometheus exporters usually answer. Nothing else is served
 * there.
 */
public final class MetricsServer implements AutoCloseable {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Undertow undertow;

    public MetricsServer(Metrics metrics, String bind, int port) {
        this.undertow = Undertow.builder()
                .addHttpListener(port, bind)
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(ex -> {
                    if (!ex.getRelativePath().equals("/metrics")) {
                        PpaServer.text(ex, 404, "Not Found", "only /metrics is served here");
                    } else if (!Methods.GET.equals(ex.getRequestMethod())) {
                        ex.getResponseHeaders().put(Headers.ALLOW, "GET");
                        PpaServer.text(ex, 405, "Method Not Allowed", ex.getRequestMethod() + " is not allowed here");
                    } else if (ex.isInIoThread()) {
                        ex.dispatch(() -> send(ex, metrics.scrape(Caller.OPERATOR)));
                    } else {
                        send(ex, metrics.scrape(Caller.OPERATOR)); // the operator chose to open this port
                    }
                })
                .build();
    }

    public MetricsServer start() {
        undertow.start();
        return this;
    }

    /** The port actually listened on (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    static void send(HttpServerExchange ex, String scrape) {
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, CONTENT_TYPE);
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        ex.getResponseSender().send(scrape);
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
