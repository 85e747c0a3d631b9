package org.ppaforge.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.ppaforge.archive.blob.S3Trees;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Published trees served from the bucket ({@link S3Trees}) when the pool is in S3: every server answers with the same
 * bytes, whichever published them. The client's {@code Range}, {@code If-None-Match} and {@code If-Modified-Since} go to
 * the bucket as they came; the body is streamed, never held. Runs on a reader thread (it waits for the bucket).
 */
final class BucketFiles {
    private final S3Trees trees;

    BucketFiles(S3Trees trees) {
        this.trees = trees;
    }

    /** Answers {@code path} (a tree path, access already checked); false when the bucket has no such file. */
    boolean serve(HttpServerExchange exchange, String path, String contentType) throws IOException {
        int slash = path.indexOf('/', 1);
        String archive = path.substring(1, slash);
        String rest = path.substring(slash + 1);
        var h = exchange.getRequestHeaders();
        String range = h.getFirst(Headers.RANGE);
        String ifNoneMatch = h.getFirst(Headers.IF_NONE_MATCH);
        Instant ifModifiedSince = httpDate(h.getFirst(Headers.IF_MODIFIED_SINCE));
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = trees.open(archive, rest, r -> {
                if (range != null && range.startsWith("bytes=") && range.length() < 200) {
                    r.range(range);
                }
                if (ifNoneMatch != null && ifNoneMatch.length() < 200) {
                    r.ifNoneMatch(ifNoneMatch);
                } else if (ifModifiedSince != null) {
                    r.ifModifiedSince(ifModifiedSince);
                }
            });
        } catch (S3Trees.NotModified e) {
            exchange.setStatusCode(304);
            exchange.endExchange();
            return true;
        }
        if (in == null) {
            return serveUncompressed(exchange, archive, rest, contentType);
        }
        try (InputStream body = in) {
            GetObjectResponse r = in.response();
            var out = exchange.getResponseHeaders();
            out.put(Headers.CONTENT_TYPE, contentType);
            out.put(Headers.CONTENT_LENGTH, r.contentLength());
            out.put(Headers.ACCEPT_RANGES, "bytes");
            if (r.eTag() != null) {
                out.put(Headers.ETAG, r.eTag());
            }
            if (r.lastModified() != null) {
                out.put(
                        Headers.LAST_MODIFIED,
                        DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                r.lastModified().atOffset(ZoneOffset.UTC)));
            }
            if (r.contentRange() != null) {
                exchange.setStatusCode(206);
                out.put(Headers.CONTENT_RANGE, r.contentRange());
            }
            send(exchange, body);
        }
        return true;
    }

    /**
     * An index the bucket keeps only as {@code .gz}, decompressed on the way (no length known in advance: chunked; no
     * ranges or conditions); false when there is none.
     */
    private boolean serveUncompressed(HttpServerExchange exchange, String archive, String rest, String contentType)
            throws IOException {
        InputStream in = trees.openUncompressed(archive, rest);
        if (in == null) {
            return false;
        }
        try (InputStream body = in) {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
            send(exchange, body);
        }
        return true;
    }

    /** The body, streamed (not for HEAD). */
    private static void send(HttpServerExchange exchange, InputStream body) throws IOException {
        if (Methods.HEAD.equals(exchange.getRequestMethod())) {
            return;
        }
        exchange.startBlocking();
        try (OutputStream o = exchange.getOutputStream()) {
            body.transferTo(o);
        }
    }

    private static Instant httpDate(String s) {
        if (s == null || s.length() > 100) {
            return null;
        }
        try {
            return DateTimeFormatter.RFC_1123_DATE_TIME.parse(s, Instant::from);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
