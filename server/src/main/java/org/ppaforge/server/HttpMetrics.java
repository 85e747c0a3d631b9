package org.ppaforge.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.undertow.server.HttpServerExchange;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The server's own meters: every request by method, route and status ({@code http_server_requests_seconds}), and the
 * uploads it accepted and refused ({@code ppaforge_uploads_total}: a dput upload counts when its {@code .changes}
 * is answered, an API include when it is). Routes are templates ({@code /api/v1/archives/{archive}/include},
 * {@code /{archive}/dists}), never the path a client sent, so no client can make the series grow without bound.
 */
final class HttpMetrics {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final String INCLUDE = "/api/v1/archives/{archive}/include";

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> uploads = new ConcurrentHashMap<>();

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One finished request that took {@code nanos}. */
    void record(HttpServerExchange ex, long nanos) {
        String method = ex.getRequestMethod().toString();
        if (!METHODS.contains(method)) {
            method = "other";
        }
        String route = route(ex);
        int status = ex.getStatusCode();
        String m = method;
        timers.computeIfAbsent(
                        method + " " + route + " " + status,
                        k -> Timer.builder("http.server.requests")
                                .description("requests answered, by method, route and status")
                                .tag("method", m)
                                .tag("route", route)
                                .tag("status", Integer.toString(status))
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        String via = null;
        if (route.startsWith("/upload/")
                && "PUT".equals(method)
                && ex.getRelativePath().endsWith(".changes")) {
            via = "dput";
        } else if (INCLUDE.equals(route) && "POST".equals(method)) {
            via = "api";
        }
        if (via != null) {
            String result = status / 100 == 2 ? "accepted" : "refused";
            String v = via;
            uploads.computeIfAbsent(
                            via + " " + result,
                            k -> Counter.builder("ppaforge.uploads")
                                    .description(
                                            "uploads answered (dput: its .changes; api: an include), accepted or refused")
                                    .tag("via", v)
                                    .tag("result", result)
                                    .register(registry))
                    .increment();
        }
    }

    /** The request's route: the API's template, else the kind of path it is. */
    static String route(HttpServerExchange ex) {
        Api.Route r = ex.getAttachment(Api.ROUTE);
        if (r != null) {
            return r.path();
        }
        String path = ex.getRelativePath();
        if (path.startsWith("/api/")) {
            return "/api/(unknown)";
        }
        if (path.startsWith("/upload/")) {
            return "/upload/{archive}/{file}";
        }
        if (path.equals("/metrics")) {
            return "/metrics";
        }
        if (TreePaths.isTreePath(path)) {
            return path.startsWith("/dists/", path.indexOf('/', 1)) ? "/{archive}/dists" : "/{archive}/pool";
        }
        if (TreePaths.KEY_PATH.matcher(path).matches()) {
            return "/{archive}/key.asc";
        }
        if (WebPages.isPage(path)) {
            return "(web page)";
        }
        return "(other)";
    }
}
