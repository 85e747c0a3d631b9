package org.ppaforge.farm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.ppaforge.common.ForgeException;
import org.ppaforge.farm.store.BuildStore;

/**
 * Build logs: appended to {@code ID.log} while the build runs (readable live, from any offset, for
 * {@code ppa build log --follow}), compressed to {@code ID.log.gz} when it ends. Credentials in URLs
 * ({@code https://user:secret@host}) are blanked before anything is stored. On shared stores (several servers) the same
 * live log and ended log are rows and a blob instead of files ({@link SharedLogs}).
 */
public final class BuildLogs {
    /** Past this a log keeps only a note that it was cut. */
    static final long MAX_LOG_BYTES = 64L << 20;

    private static final Pattern CREDENTIALS = Pattern.compile("(://)[^/@\\s:]+:[^/@\\s]+@");

    private final Builds builds;
    private final SharedLogs shared;

    BuildLogs(Builds builds) {
        this.builds = builds;
        this.shared = builds.archive().databases().shared() ? new SharedLogs(builds) : null;
    }

    /** The blobs logs are kept in (gc keeps them); none for the files of the embedded default. */
    public java.util.Set<String> blobs() {
        return shared == null ? java.util.Set.of() : shared.blobs();
    }

    /** Whether logs are rows and blobs of the shared stores (not files of build-logs/). */
    boolean sharedStores() {
        return shared != null;
    }

    SharedLogs shared() {
        return shared;
    }

    private Path live(long id) {
        return builds.logDirectory().resolve(id + ".log");
    }

    private Path done(long id) {
        return builds.logDirectory().resolve(id + ".log.gz");
    }

    /** A build was leased: a fresh live log with a header line. */
    void start(Build b) {
        String header = "ppaforge: build " + b.id() + " (" + b.title() + ") started on worker '" + b.worker() + "' at "
                + org.ppaforge.common.Times.exact(b.startedAt()) + ", attempt " + b.attempts() + "\n";
        if (shared != null) {
            shared.start(b.id(), header);
            return;
        }
        try {
            Files.createDirectories(builds.logDirectory());
            Files.deleteIfExists(done(b.id())); // a retry: the new attempt's log replaces the old one
            // A lease taken over from a worker that stopped answering keeps what that worker sent.
            Files.writeString(
                    live(b.id()), header, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends to a running build's log (credentials blanked); false once the log is over its size limit. */
    public boolean append(long id, String text) {
        Path f = live(id);
        try {
            long size = shared != null ? shared.liveSize(id) : Files.exists(f) ? Files.size(f) : -1;
            if (size < 0) {
                return false;
            }
            if (size >= MAX_LOG_BYTES) {
                return false;
            }
            String clean = scrub(text);
            if (size + clean.length() > MAX_LOG_BYTES) {
                clean = clean.substring(0, (int) Math.max(0, MAX_LOG_BYTES - size)) + "\nppaforge: the log passed "
                        + (MAX_LOG_BYTES >> 20) + " MiB; the rest was dropped\n";
            }
            if (shared != null) {
                return shared.append(id, clean);
            }
            Files.writeString(f, clean, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String scrub(String text) {
        return CREDENTIALS.matcher(text).replaceAll("$1***@");
    }

    /** The build ended: its log is compressed and kept. */
    void finish(long id) {
        if (shared != null) {
            shared.finish(id);
            return;
        }
        Path f = live(id);
        if (!Files.exists(f)) {
            return;
        }
        try {
            Path tmp = builds.logDirectory().resolve(id + ".log.gz.tmp");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp))) {
                Files.copy(f, out);
            }
            Files.move(tmp, done(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param text the log from {@code offset} (bytes) on
     * @param next the offset to ask from next time
     * @param complete whether the build has ended (nothing more will come)
     */
    public record Chunk(long build, String text, long next, boolean complete) {}

    /**
     * Keeps a built result's {@code .buildinfo} beside the build's log (the build environment's package versions: what
     * moved underneath a package between two builds), when the results carry one.
     */
    void keepBuildinfo(long id, Path results) {
        try (var list = Files.list(results)) {
            Path info = list.filter(f -> f.getFileName().toString().endsWith(".buildinfo"))
                    .findFirst()
                    .orElse(null);
            if (info != null && Files.size(info) < (1 << 20) && shared != null) {
                shared.keepBuildinfo(id, info);
            } else if (info != null && Files.size(info) < (1 << 20)) {
                Files.createDirectories(builds.logDirectory());
                Files.copy(info, builds.logDirectory().resolve(id + ".buildinfo"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // the build stays built; only the comparison with the next build lacks its environment
        }
    }

    /** A built build's {@code .buildinfo}, when it was kept. */
    public Optional<String> buildinfo(long id) {
        if (shared != null) {
            return shared.buildinfo(id);
        }
        Path f = builds.logDirectory().resolve(id + ".buildinfo");
        try {
            return Files.isRegularFile(f) ? Optional.of(Files.readString(f, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The most one read returns: logs are read in pages, never whole (a 64 MiB log must not cost 64 MiB a request). */
    public static final int PAGE = 1 << 20;

    /** A page of a text read from an offset: its text, where the next page starts, whether it reached the end. */
    public record Page(String text, long next, boolean end) {}

    /**
     * At most {@link #PAGE} bytes of {@code in} from {@code offset}, cut at a character boundary (a page cut inside one
     * leaves its first bytes for the next). Any log read in pages (build logs, pipeline step logs) reads through this.
     */
    public static Page page(InputStream in, long offset) throws IOException {
        long skipped = skip(in, Math.max(offset, 0));
        byte[] page = in.readNBytes(PAGE);
        boolean end = page.length < PAGE || in.read() < 0;
        int keep = end ? page.length : characterBoundary(page);
        return new Page(new String(page, 0, keep, StandardCharsets.UTF_8), skipped + keep, end);
    }

    /**
     * The build's log as it is now (compressed once the build ended), or null when a build that has not started has none
     * yet; a build that should have one and has not is a not-found. On shared stores {@code row} is the log's row as the
     * caller read it (an ended one: a running log is read through {@link SharedLogs#live}).
     */
    private InputStream open(long id, Optional<BuildStore.LogRow> row) throws IOException {
        if (shared != null) {
            if (row.isPresent() && row.get().logSha256() != null) {
                return shared.openEnded(row.get());
            }
            if (row.isPresent()) {
                throw new IllegalStateException("a running log is read through SharedLogs.live");
            }
            return missing(id);
        }
        if (Files.exists(done(id))) {
            return new GZIPInputStream(Files.newInputStream(done(id)));
        }
        if (Files.exists(live(id))) {
            return Files.newInputStream(live(id));
        }
        return missing(id);
    }

    /** No log: null for a build that has not started, else a not-found saying why. */
    private InputStream missing(long id) {
        Build b = ShowBuild.find(builds, id);
        if (b.state() == BuildState.WAITING || b.state().isPending()) {
            return null;
        }
        throw ForgeException.notFound("build " + id + " has no log"
                + (b.state().isFinal()
                        ? " (it ended " + org.ppaforge.common.Times.shown(b.finishedAt())
                                + "; old logs are deleted by 'ppa gc')"
                        : ""));
    }

    /** Whether the build has nothing more to log (as a chunk says it). */
    private boolean finished(long id) {
        return ShowBuild.find(builds, id).state().isFinal();
    }

    /**
     * A page of the log from a byte offset: at most {@link #PAGE} bytes, cut at a character boundary; {@code next} is
     * where the next page starts, {@code complete} says the log has ended and this page reaches its end.
     */
    public Chunk read(long id, long offset) {
        ShowBuild.find(builds, id);
        Optional<BuildStore.LogRow> row = shared == null ? Optional.empty() : shared.row(id);
        if (shared != null) {
            if (row.isPresent() && row.get().logSha256() == null) { // running: only the rows of this page
                long from = Math.max(0, offset);
                SharedLogs.Window w = shared.live(id, from, from + PAGE + 4);
                try (InputStream in = w.in()) {
                    Page p = page(in, from - w.startsAt());
                    return new Chunk(id, p.text(), w.startsAt() + p.next(), false);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        try {
            boolean done = shared != null ? row.isPresent() : Files.exists(done(id));
            try (InputStream in = open(id, row)) {
                if (in == null) {
                    return new Chunk(id, "", 0, finished(id));
                }
                Page p = page(in, offset);
                return new Chunk(id, p.text(), p.next(), done && p.end());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Skips up to {@code n} bytes; returns how many there were. */
    private static long skip(InputStream in, long n) throws IOException {
        long left = n;
        byte[] scratch = new byte[64 << 10];
        while (left > 0) {
            int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (r < 0) {
                break;
            }
            left -= r;
        }
        return n - left;
    }

    /** How much of {@code page} ends on a whole UTF-8 character (a page cut inside one leaves its first bytes for the next). */
    static int characterBoundary(byte[] page) {
        int n = page.length;
        for (int back = 1; back <= 3 && n - back >= 0; back++) {
            int c = page[n - back] & 0xff;
            if (c < 0x80) {
                return n; // ASCII: whole
            }
            if (c >= 0xc0) { // a lead byte: does its sequence fit?
                int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
                return back >= len ? n : n - back;
            }
        }
        return n;
    }

    /** The last {@code bytes} bytes of the log (read through once, keeping only a window), and where it ends. */
    public Chunk end(long id, int bytes) {
        ShowBuild.find(builds, id);
        long base = 0;
        SharedLogs.Window live = null;
        Optional<BuildStore.LogRow> row = shared == null ? Optional.empty() : shared.row(id);
        if (shared != null) {
            if (row.isPresent() && row.get().logSha256() == null) { // running: only the rows of its end
                long size = row.get().liveBytes();
                live = shared.live(id, Math.max(0, size - bytes), size + 1);
                base = live.startsAt();
            }
        }
        try {
            boolean done = live == null && (shared != null ? row.isPresent() : Files.exists(done(id)));
            byte[] window = new byte[bytes];
            long total = base;
            try (InputStream in = live != null ? live.in() : open(id, row)) {
                if (in == null) {
                    return new Chunk(id, "", 0, finished(id));
                }
                byte[] scratch = new byte[64 << 10];
                int r;
                while ((r = in.read(scratch)) > 0) {
                    if (r >= bytes) {
                        System.arraycopy(scratch, r - bytes, window, 0, bytes);
                    } else {
                        System.arraycopy(window, r, window, 0, bytes - r);
                        System.arraycopy(scratch, 0, window, bytes - r, r);
                    }
                    total += r;
                }
            }
            int have = (int) Math.min(total - base, bytes);
            int start = bytes - have;
            while (have > 0 && start < bytes && (window[start] & 0xc0) == 0x80) { // not inside a character
                start++;
                have--;
            }
            return new Chunk(id, new String(window, start, have, StandardCharsets.UTF_8), total, done);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code lines} lines of a build's log (for {@code build show}). */
    public String tail(long id, int lines) {
        String text = end(id, 64 << 10).text();
        String[] all = text.split("\n", -1);
        int from = Math.max(0, all.length - lines - 1);
        return String.join("\n", Arrays.copyOfRange(all, from, all.length)).strip();
    }
}
