package org.ppaforge.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.DateUtils;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Small published files (InRelease, Release, small indices and packages) answered from memory on the I/O thread: no
 * thread hand-off, no file lookup per request. An entry is checked against the file's attributes when it is older than
 * a second or when this process published since it was read (so a publish here is seen at once; one by another
 * process on the same tree within a second, which is safe: the files an older InRelease names stay for the keep
 * time). Range requests and larger files go to the file handler; conditional requests (If-None-Match,
 * If-Modified-Since) get their 304 here.
 */
final class SmallFiles {
    /** Files up to this size (InRelease, most index files, most packages) are answered from memory. */
    static final int MAX_FILE = 2 << 20;

    static final long MAX_TOTAL = 128L << 20;
    private static final long FRESH_NANOS = 1_000_000_000L;
    private final ConcurrentHashMap<Path, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final LongSupplier publishes;

    /**
     * A file's bytes, in native memory (the socket write takes them from there: no copy into a temporary native buffer per
     * response; a 698 KB Packages went from 4.2-6.5k to 6.1-10.1k responses/s here), and its headers, formatted once.
     */
    private record Entry(
            ByteBuffer body,
            int length,
            String etag,
            long lastModified,
            String lastModifiedText,
            Object fileKey,
            long checkedAt,
            long publishes) {
        Entry checked(long now, long published) {
            return new Entry(body, length, etag, lastModified, lastModifiedText, fileKey, now, published);
        }
    }

    /** @param publishes how many publishes this process has made: an entry read before the last one is checked again */
    SmallFiles(LongSupplier publishes) {
        this.publishes = publishes;
    }

    /**
     * Answers {@code exchange} from memory when it can (true); false when the file handler must (a Range request, a
     * file too large or missing, a read that failed).
     */
    boolean serve(HttpServerExchange exchange, Path file, String contentType) {
        if (exchange.getRequestHeaders().contains(Headers.RANGE)) {
            return false;
        }
        Entry e = current(file);
        if (e == null) {
            return false;
        }
        var headers = exchange.getResponseHeaders();
        headers.put(Headers.ETAG, e.etag);
        headers.put(Headers.LAST_MODIFIED, e.lastModifiedText);
        headers.put(Headers.ACCEPT_RANGES, "bytes");
        String ifNoneMatch = exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH);
        String ifModifiedSince = exchange.getRequestHeaders().getFirst(Headers.IF_MODIFIED_SINCE);
        boolean notModified = ifNoneMatch != null
                ? ifNoneMatch.contains(e.etag)
                : ifModifiedSince != null
                        && !DateUtils.handleIfModifiedSince(ifModifiedSince, new Date(e.lastModified));
        if (notModified) {
            exchange.setStatusCode(304);
            exchange.endExchange();
            return true;
        }
        headers.put(Headers.CONTENT_TYPE, contentType);
        headers.put(Headers.CONTENT_LENGTH, e.length);
        if (Methods.HEAD.equals(exchange.getRequestMethod())) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(e.body.duplicate());
        }
        return true;
    }

    private Entry current(Path file) {
        long now = System.nanoTime();
        long published = publishes.getAsLong();
        Entry e = entries.get(file);
        if (e != null && now - e.checkedAt <= FRESH_NANOS && e.publishes == published) {
            return e;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile() || a.size() > MAX_FILE) {
                return null;
            }
            if (e != null
                    && a.lastModifiedTime().toMillis() == e.lastModified
                    && a.size() == e.length
                    && Objects.equals(a.fileKey(), e.fileKey)) {
                Entry again = e.checked(now, published);
                entries.put(file, again);
                return again;
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length != a.size()) {
                return null; // replaced while read: the file handler serves this one
            }
            ByteBuffer body =
                    ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
            long modified = a.lastModifiedTime().toMillis();
            Entry fresh = new Entry(
                    body,
                    bytes.length,
                    TreePaths.etagOf(a).toString(),
                    modified,
                    DateUtils.toDateString(new Date(modified)),
                    a.fileKey(),
                    now,
                    published);
            Entry old = entries.put(file, fresh);
            if (total.addAndGet(bytes.length - (old == null ? 0 : old.length)) > MAX_TOTAL) {
                entries.clear(); // many different small files: start over rather than grow
                total.set(0);
            }
            return fresh;
        } catch (NoSuchFileException e404) {
            Entry gone = entries.remove(file);
            if (gone != null) {
                total.addAndGet(-gone.length);
            }
            return null;
        } catch (IOException | RuntimeException ex) {
            return null;
        }
    }
}
