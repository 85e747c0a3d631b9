package org.ppaforge.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.ppaforge.common.ForgeException;

/**
 * Forgets the backups a policy does not keep ({@code --keep-last}, {@code --keep-daily}, {@code --keep-weekly},
 * {@code --keep-monthly}, restic's meaning: the newest backup of each of the last N days, weeks, months that have one)
 * and deletes the blobs no kept backup needs (a pack mostly unused is written again with the blobs still needed). Refused while a backup runs on the target; a backup is refused while
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
        if (dryRun) {
            return decide(target).result();
        }
        Locks.checkNoBackup(target);
        target.put("locks/" + Locks.PRUNE, Instant.now().toString().getBytes(StandardCharsets.US_ASCII));
        try {
            Locks.checkNoBackup(target); // a backup that started meanwhile: stop before deleting anything
            // Read under the lock: a backup that finished just before it is seen with all its packs.
            Decision d = decide(target);
            for (String id : d.forgotten) {
                target.delete("snapshots/" + id);
            }
            // The kept blobs of mostly-unused packs into new packs, one index for every pack kept, and only then the
            // old indexes and the packs nobody needs: killed anywhere, a prune leaves every kept blob indexed.
            List<Packs.Pack> index = new ArrayList<>(d.plan.kept);
            index.addAll(repack(target, d.packs, d.plan.repack, d.needed));
            if (!index.isEmpty() || !d.packs.indexes().isEmpty()) {
                List<String> old = List.copyOf(d.packs.indexes());
                target.sync();
                d.packs.writeIndex(index);
                target.sync();
                for (String id : old) {
                    target.delete("index/" + id);
                }
            }
            for (String object : d.plan.delete) {
                target.delete(object);
            }
            return d.result();
        } finally {
            target.delete("locks/" + Locks.PRUNE);
        }
    }

    /** The backups kept and forgotten, the blobs the kept ones need, and what to do with each pack. */
    private record Decision(List<String> kept, List<String> forgotten, Set<String> needed, Packs packs, Plan plan) {
        Result result() {
            return new Result(kept, forgotten, plan.blobsDeleted, plan.bytesFreed);
        }
    }

    private Decision decide(Target target) throws IOException {
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
        Packs packs = Packs.load(target, backups.keys(false));
        if (!packs.damagedIndexes.isEmpty()) {
            throw ForgeException.refused("the target has a damaged index (index/" + packs.damagedIndexes.get(0)
                    + "): 'ppa backup verify' says what it affects; prune a target whose indexes open");
        }
        return new Decision(List.copyOf(keep), forgotten, needed, packs, plan(target, packs, needed));
    }

    /** What a prune does with each object: keep it as it is, repack the blobs still needed, or delete it. */
    private static final class Plan {
        final List<Packs.Pack> kept = new ArrayList<>();
        final List<String> repack = new ArrayList<>();
        final List<String> delete = new ArrayList<>();
        int blobsDeleted;
        long bytesFreed;
    }

    /**
     * A pack all of whose blobs are needed is kept; one none of whose are, deleted; one a fifth or more unused is
     * repacked (its needed blobs copied, sealed as they are, into a new pack); one less than a fifth unused is kept
     * whole, as restic does, since rewriting it would cost more than the space it frees. Packs no index names (a
     * killed backup's) are deleted.
     */
    private static Plan plan(Target target, Packs packs, Set<String> needed) throws IOException {
        Plan plan = new Plan();
        Map<String, List<String>> byObject = packs.byObject();
        for (var e : byObject.entrySet()) {
            String object = e.getKey();
            long size = 0;
            long unused = 0;
            List<List<Object>> entries = new ArrayList<>();
            int unneeded = 0;
            for (String blob : e.getValue()) {
                Packs.Location l = packs.locations().get(blob);
                long length = l.length() < 0 ? target.size(object) : l.length();
                size += length;
                if (needed.contains(blob)) {
                    entries.add(l.entry(blob, l.offset(), l.length()));
                } else {
                    unused += length;
                    unneeded++;
                }
            }
            plan.blobsDeleted += unneeded;
            if (unneeded == 0) {
                if (object.startsWith("packs/")) {
                    plan.kept.add(new Packs.Pack(object, entries));
                }
            } else if (entries.isEmpty()) {
                plan.delete.add(object);
                plan.bytesFreed += size;
            } else if (unused * 5 >= size) {
                plan.repack.add(object);
                plan.delete.add(object);
                plan.bytesFreed += unused;
            } else {
                plan.kept.add(new Packs.Pack(object, entries));
                plan.blobsDeleted -= unneeded; // kept within the pack
            }
        }
        for (String p : target.list("packs/")) {
            if (!byObject.containsKey("packs/" + p)) {
                plan.delete.add("packs/" + p);
                plan.bytesFreed += target.size("packs/" + p);
            }
        }
        return plan;
    }

    /** The needed blobs of these packs, copied sealed as they are into new packs; returns those packs. */
    private static List<Packs.Pack> repack(Target target, Packs packs, List<String> objects, Set<String> needed)
            throws IOException {
        List<Packs.Pack> out = new ArrayList<>();
        Map<String, List<String>> byObject = packs.byObject();
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        List<List<Object>> entries = new ArrayList<>();
        for (String object : objects) {
            for (String blob : byObject.get(object)) {
                if (!needed.contains(blob)) {
                    continue;
                }
                long at = pack.size();
                try (InputStream in = packs.openSealed(blob)) {
                    in.transferTo(pack);
                }
                entries.add(packs.locations().get(blob).entry(blob, at, pack.size() - at));
                if (pack.size() >= Packs.PACK_SIZE) {
                    out.add(writePack(target, pack, entries));
                    pack = new ByteArrayOutputStream();
                    entries = new ArrayList<>();
                }
            }
        }
        if (!entries.isEmpty()) {
            out.add(writePack(target, pack, entries));
        }
        return out;
    }

    private static Packs.Pack writePack(Target target, ByteArrayOutputStream pack, List<List<Object>> entries)
            throws IOException {
        String object = Packs.newPack();
        target.write(object, pack::writeTo);
        return new Packs.Pack(object, List.copyOf(entries));
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
