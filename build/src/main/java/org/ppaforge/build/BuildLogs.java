package org.ppaforge.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.ppaforge.archive.ArchiveException;

/**
 * Build logs: appended to {@code ID.log} while the build runs (readable live, from any offset, for
 * {@code ppa build log --follow}), compressed to {@code ID.log.gz} when it ends. Credentials in URLs
 * ({@code https://user:secret@host}) are blanked before anything is stored.
 */
public final class BuildLogs {
    /** Past this a log keeps only a note that it was cut. */
    static final long MAX_LOG_BYTES = 64L << 20;
    private static final Pattern CREDENTIALS = Pattern.compile("(://)[^/@\\s:]+:[^/@\\s]+@");

    private final Builds builds;

    BuildLogs(Builds builds) {
        this.builds = builds;
    }

    private Path live(long id) {
        return builds.logDirectory().resolve(id + ".log");
    }

    private Path done(long id) {
        return builds.logDirectory().resolve(id + ".log.gz");
    }

    /** A build was leased: a fresh live log with a header line. */
    void start(Build b) {
        try {
            Files.createDirectories(builds.logDirectory());
            Files.deleteIfExists(done(b.id())); // a retry: the new attempt's log replaces the old one
            // A lease taken over from a worker that stopped answering keeps what that worker sent.
            Files.writeString(live(b.id()), "ppaforge: build " + b.id() + " (" + b.title() + ") started on worker '" + b.worker()
                    + "' at " + b.startedAt() + ", attempt " + b.attempts() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends to a running build's log (credentials blanked); false once the log is over its size limit. */
    public boolean append(long id, String text) {
        Path f = live(id);
        try {
            if (!Files.exists(f)) {
                return false;
            }
            long size = Files.size(f);
            if (size >= MAX_LOG_BYTES) {
                return false;
            }
            String clean = scrub(text);
            if (size + clean.length() > MAX_LOG_BYTES) {
                clean = clean.substring(0, (int) Math.max(0, MAX_LOG_BYTES - size)) + "\nppaforge: the log passed "
                        + (MAX_LOG_BYTES >> 20) + " MiB; the rest was dropped\n";
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
        Path f = live(id);
        if (!Files.exists(f)) {
            return;
        }
        try {
            Path tmp = builds.logDirectory().resolve(id + ".log.gz.tmp");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp))) {
                Files.copy(f, out);
            }
            Files.move(tmp, done(id), java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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
    public record Chunk(long build, String text, long next, boolean complete) {
    }

    /**
     * Keeps a built result's {@code .buildinfo} beside the build's log (the build environment's package versions: what
     * moved underneath a package between two builds), when the results carry one.
     */
    void keepBuildinfo(long id, Path results) {
        try (var list = Files.list(results)) {
            Path info = list.filter(f -> f.getFileName().toString().endsWith(".buildinfo")).findFirst().orElse(null);
            if (info != null && Files.size(info) < (1 << 20)) {
                Files.createDirectories(builds.logDirectory());
                Files.copy(info, builds.logDirectory().resolve(id + ".buildinfo"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // the build stays built; only the comparison with the next build lacks its environment
        }
    }

    /** A built build's {@code .buildinfo}, when it was kept. */
    public java.util.Optional<String> buildinfo(long id) {
        Path f = builds.logDirectory().resolve(id + ".buildinfo");
        try {
            return Files.isRegularFile(f) ? java.util.Optional.of(Files.readString(f, StandardCharsets.UTF_8)) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** The log from a byte offset (0: all of it). */
    public Chunk read(long id, long offset) {
        Build b = ShowBuild.find(builds, id);
        try {
            byte[] all;
            boolean complete;
            if (Files.exists(done(id))) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(done(id)))) {
                    all = in.readAllBytes();
                }
                complete = true;
            } else if (Files.exists(live(id))) {
                all = Files.readAllBytes(live(id));
                complete = false;
            } else {
                if (b.state() == BuildState.WAITING || b.state().isPending()) {
                    return new Chunk(id, "", 0, b.state().isFinal());
                }
                throw ArchiveException.notFound("build " + id + " has no log");
            }
            int from = (int) Math.min(Math.max(offset, 0), all.length);
            return new Chunk(id, new String(all, from, all.length - from, StandardCharsets.UTF_8), all.length, complete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code lines} lines of a build's log (for {@code build show}). */
    public String tail(long id, int lines) {
        String text = read(id, 0).text();
        String[] all = text.split("\n", -1);
        int from = Math.max(0, all.length - lines - 1);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length)).strip();
    }

}
