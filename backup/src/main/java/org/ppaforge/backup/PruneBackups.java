package org.ppaforge.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.ppaforge.common.ForgeException;

/**
 * Forgets the backups a policy does not keep ({@code --keep-last}, {@code --keep-daily}, {@code --keep-weekly},
 * {@code --keep-monthly}, restic's meaning: the newest backup of each of the last N days, weeks, months that have one)
 * and deletes the objects no kept backup needs. Refused while a backup runs on the target; a backup is refused while
 * a prune runs. The snapshots go first, the objects after: a prune killed midway leaves unneeded objects, never a kept
 * backup without its objects.
 */
public final class PruneBackups {
    private final Backups backups;
    private int last;
    private int daily;
    private int weekly;
    private int monthly;
    private boolean dryRun;

    public record Result(List<String> kept, List<String> forgotten, int objectsDeleted, long bytesFreed) {}

    PruneBackups(Backups backups) {
        this.backups = backups;
    }

    public PruneBackups keep(int last, int daily, int weekly, int monthly) {
        this.last = last;
        this.daily = daily;
        this.weekly = weekly;
        this.monthly = monthly;
        return this;
    }

    public PruneBackups dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    public Result call() throws IOException {
        if (last + daily + weekly + monthly <= 0) {
            throw ForgeException.invalid(
                    "say what to keep: --keep-last, --keep-daily, --keep-weekly or --keep-monthly (a prune never empties a target)");
        }
        Target target = backups.target;
        List<Snapshot> all = new ArrayList<>(backups.list());
        List<Snapshot> newestFirst = new ArrayList<>(all);
        Collections.reverse(newestFirst);
        Set<String> keep = new LinkedHashSet<>();
        newestFirst.stream().limit(last).forEach(s -> keep.add(s.id()));
        keepPer(newestFirst, daily, t -> t.atZone(ZoneOffset.UTC).toLocalDate().toString(), keep);
        keepPer(
                newestFirst,
                weekly,
                t -> t.atZone(ZoneOffset.UTC).get(IsoFields.WEEK_BASED_YEAR) + "-W"
                        + t.atZone(ZoneOffset.UTC).get(IsoFields.WEEK_OF_WEEK_BASED_YEAR),
                keep);
        keepPer(newestFirst, monthly, t -> t.atZone(ZoneOffset.UTC).toString().substring(0, 7), keep);
        List<String> forgotten =
                all.stream().map(Snapshot::id).filter(id -> !keep.contains(id)).toList();
        Set<String> needed = new HashSet<>();
        all.stream().filter(s -> keep.contains(s.id())).forEach(s -> needed.addAll(s.objects()));
        Set<String> unneeded = new HashSet<>(target.list("data/"));
        unneeded.removeAll(needed);
        long bytes = 0;
        for (String o : unneeded) {
            bytes += target.size("data/" + o);
        }
        if (dryRun) {
            return new Result(List.copyOf(keep), forgotten, unneeded.size(), bytes);
        }
        Locks.checkNoBackup(target);
        target.put("locks/" + Locks.PRUNE, Instant.now().toString().getBytes(StandardCharsets.US_ASCII));
        try {
            Locks.checkNoBackup(target); // a backup that started meanwhile: stop before deleting anything
            for (String id : forgotten) {
                target.delete("snapshots/" + id);
            }
            for (String o : unneeded) {
                target.delete("data/" + o);
            }
        } finally {
            target.delete("locks/" + Locks.PRUNE);
        }
        return new Result(List.copyOf(keep), forgotten, unneeded.size(), bytes);
    }

    private static void keepPer(List<Snapshot> newestFirst, int n, Function<Instant, String> bucket, Set<String> keep) {
        Set<String> seen = new HashSet<>();
        for (Snapshot s : newestFirst) {
            if (seen.size() == n) {
                return;
            }
            if (seen.add(bucket.apply(s.time()))) {
                keep.add(s.id());
            }
        }
    }
}
