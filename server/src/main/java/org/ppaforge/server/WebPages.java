package org.ppaforge.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.ppaforge.web.Web;
import org.ppaforge.web.WebRequest;
import org.ppaforge.web.WebResponse;

/**
 * Routes the web pages' paths to the web module: turns the exchange into a {@link WebRequest} (query, url-encoded form of
 * at most {@link #MAX_FORM} bytes, cookies, the URL the client used) and writes the {@link WebResponse} back. Pages are
 * made on the readers' threads, never on the I/O threads; forms (POST) go through the {@link BodyGuard} as API writes do:
 * on the body threads, a few per client, their bodies at a minimum pace, so slow forms never hold the readers.
 */
final class WebPages implements HttpHandler {
    static final int MAX_FORM = 1 << 20;
    private final Web web;
    private final ExecutorService threads;
    private final BodyGuard guard;
    private final boolean tls;

    WebPages(Web web, ExecutorService threads, BodyGuard guard, boolean tls) {
        this.web = web;
        this.threads = threads;
        this.guard = guard;
        this.tls = tls;
    }

    static boolean isPage(String path) {
        return Web.PATHS.matcher(path).matches();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        boolean post = Methods.POST.equals(exchange.getRequestMethod());
        if (exchange.isInIoThread()) {
            if (post) {
                guard.dispatch(exchange, this);
            } else {
                exchange.dispatch(threads, this);
            }
            return;
        }
        String method = exchange.getRequestMethod().toString();
        if (!Methods.GET.equals(exchange.getRequestMethod())
                && !Methods.HEAD.equals(exchange.getRequestMethod())
                && !Methods.POST.equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD, POST");
            PpaServer.text(exchange, 405, "Method Not Allowed", method + " is not allowed here");
            return;
        }
        Map<String, List<String>> form = Map.of();
        if (Methods.POST.equals(exchange.getRequestMethod())) {
            String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                PpaServer.text(
                        exchange,
                        415,
                        "Unsupported Media Type",
                        "the pages take forms as application/x-www-form-urlencoded");
                return;
            }
            if (exchange.getRequestContentLength() > MAX_FORM) {
                exchange.setPersistent(false);
                PpaServer.text(exchange, 413, "Payload Too Large", "a form is at most " + MAX_FORM + " bytes");
                return;
            }
            exchange.startBlocking();
            byte[] body;
            try (InputStream in = BodyGuard.body(exchange)) {
                body = in.readNBytes(MAX_FORM + 1);
            } catch (IOException e) {
                return; // the form stalled or came too slowly: its connection was closed, nobody is left to answer
            }
            if (body.length > MAX_FORM) {
                exchange.setPersistent(false);
                PpaServer.text(exchange, 413, "Payload Too Large", "a form is at most " + MAX_FORM + " bytes");
                return;
            }
            try {
                form = parse(new String(body, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                PpaServer.text(exchange, 400, "Bad Request", "the form is not url-encoded: " + e.getMessage());
                return;
            }
        }
        Map<String, List<String>> query = new HashMap<>();
        for (Map.Entry<String, Deque<String>> e : exchange.getQueryParameters().entrySet()) {
            query.put(e.getKey(), new ArrayList<>(e.getValue()));
        }
        Map<String, String> cookies = new HashMap<>();
        for (Cookie c : exchange.requestCookies()) {
            cookies.put(c.getName(), c.getValue());
        }
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        String base = (tls ? "https" : "http") + "://"
                + (host == null || !host.matches("[A-Za-z0-9.:\\[\\]-]{1,255}")
                        ? exchange.getDestinationAddress().getHostString() + ":"
                                + exchange.getDestinationAddress().getPort()
                        : host);
        WebResponse r = web.handle(new WebRequest(
                method,
                exchange.getRelativePath(),
                query,
                form,
                cookies,
                tls,
                base,
                exchange.getRequestHeaders().getFirst("Origin"),
                exchange.getSourceAddress().getAddress().getHostAddress()));
        exchange.setStatusCode(r.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, r.contentType());
        r.headers().forEach((k, v) -> exchange.getResponseHeaders().put(new HttpString(k), v));
        if (Methods.HEAD.equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, r.body().length);
            exchange.endExchange();
            return;
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(r.body()));
    }

    static Map<String, List<String>> parse(String body) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }
}
