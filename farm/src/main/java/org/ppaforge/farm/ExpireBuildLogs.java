package org.ppaforge.farm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ppaforge.common.ForgeException;

/**
 * Retention of build logs: the log ({@code ID.log.gz}) and kept {@code .buildinfo} of a build that ended longer ago than
 * {@link #keep} (default {@value #DEFAULT_DAYS} days) are deleted; the build itself stays in the history, and asking
 * for its log says it was deleted. A build that has not ended keeps its log, however old. Run by {@code ppa gc} and
 * the server's {@code gc} task.
 */
public final class ExpireBuildLogs {
    public static final int DEFAULT_DAYS = 365;
    private static final Pattern FILE = Pattern.compile("([0-9]{1,18})\\.(log\\.gz|buildinfo)");

    private final Builds builds;
    private Duration keep = Duration.ofDays(DEFAULT_DAYS);
    private boolean dryRun;

    /** The builds whose logs went (or, in a dry run, would go), and their bytes. */
    public record Result(List<Long> builds, long bytes) {}

    ExpireBuildLogs(Builds builds) {
        this.builds = builds;
    }

    public ExpireBuildLogs keep(Duration keep) {
        if (keep.isNegative() || keep.isZero()) {
            throw ForgeException.invalid("build logs are kept for some time (--keep-build-logs 1d or more)");
        }
        this.keep = keep;
        return this;
    }

    public ExpireBuildLogs dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    public Result call() {
        Instant before = builds.now().minus(keep);
        List<Long> expired = new ArrayList<>();
        long bytes = 0;
        if (builds.logs().sharedStores()) { // rows and blobs: the row goes, gc collects the blobs after its grace
            for (var row : builds.store().logs()) {
                if (row.logSha256() == null && row.buildinfoSha256() == null) {
                    continue; // running
                }
                Optional<Build> b = builds.store().get(row.build());
                boolean old = b.map(x -> x.state().isFinal()
                                && x.finishedAt() != null
                                && x.finishedAt().isBefore(before))
                        .orElse(true);
                if (old && row.logSha256() != null || old && b.isEmpty()) {
                    bytes += row.logBytes();
                    if (!dryRun) {
                        builds.store().deleteLog(row.build());
                    }
                    expired.add(row.build());
                }
            }
            return new Result(expired, bytes);
        }
        Path dir = builds.logDirectory();
        if (!Files.isDirectory(dir)) {
            return new Result(expired, 0);
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                Matcher m = FILE.matcher(f.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                long id = Long.parseLong(m.group(1));
                Optional<Build> b = builds.store().get(id);
                // Ended long enough ago; a log whose build is gone from the store is as old as it looks.
                boolean old = b.map(x -> x.state().isFinal()
                                && x.finishedAt() != null
                                && x.finishedAt().isBefore(before))
                        .orElseGet(() -> modified(f).isBefore(before));
                if (!old) {
                    continue;
                }
                bytes += Files.size(f);
                if (!dryRun) {
                    Files.deleteIfExists(f);
                }
                if (expired.isEmpty() || expired.get(expired.size() - 1) != id) {
                    expired.add(id);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(expired, bytes);
    }

    private static Instant modified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toInstant();
        } catch (IOException e) {
            return Instant.MAX;
        }
    }
}
