package org.ppaforge.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Checks a target: every blob every backup needs is named by an index and its pack is there; with {@link #readData}
 * every one is also opened (its authentication checked) and its content hashed against its name. A damaged or missing
 * blob is named, with its pack and the backups that need it.
 */
public final class VerifyBackup {
    private final Backups backups;
    private boolean readData;
    private Consumer<String> progress = s -> {};

    /** An object that is missing or damaged, and the backups that need it. */
    public record Problem(String object, String what, List<String> backups) {}

    public record Result(int backups, int objects, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    VerifyBackup(Backups backups) {
        this.backups = backups;
    }

    public VerifyBackup readData(boolean readData) {
        this.readData = readData;
        return this;
    }

    public VerifyBackup progress(Consumer<String> progress) {
        this.progress = progress;
        return this;
    }

    public Result call() throws IOException {
        Keys keys = backups.keys(false);
        List<Snapshot> all = backups.list();
        Map<String, List<String>> neededBy = new TreeMap<>();
        for (Snapshot s : all) {
            for (String o : s.objects()) {
                neededBy.computeIfAbsent(o, k -> new ArrayList<>()).add(s.id());
            }
        }
        Packs packs = Packs.load(backups.target, keys);
        Set<String> objects = new HashSet<>();
        backups.target.list("packs/").forEach(p -> objects.add("packs/" + p));
        backups.target.list("data/").forEach(p -> objects.add("data/" + p));
        List<Problem> problems = new ArrayList<>();
        for (String index : packs.damagedIndexes) {
            problems.add(new Problem("index/" + index, "damaged: it does not open", List.of()));
        }
        int n = 0;
        for (var e : neededBy.entrySet()) {
            String o = e.getKey();
            n++;
            Packs.Location at = packs.locations().get(o);
            if (at == null) {
                problems.add(new Problem(o, "missing (no index names it)", e.getValue()));
                continue;
            }
            if (!objects.contains(at.object())) {
                problems.add(new Problem(o, "missing (" + at.object() + " is gone)", e.getValue()));
                continue;
            }
            if (readData) {
                progress.accept("blob " + n + " of " + neededBy.size());
                String why = check(keys, packs, o);
                if (why != null) {
                    problems.add(new Problem(o, why + " (in " + at.object() + ")", e.getValue()));
                }
            }
        }
        return new Result(all.size(), neededBy.size(), problems);
    }

    /** Null when the blob opens and hashes to its name; else what is wrong. */
    private static String check(Keys keys, Packs packs, String blob) throws IOException {
        MessageDigest md = CreateBackup.sha256();
        try (OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
            packs.read(blob, sink);
        } catch (Sealing.Damaged e) {
            return "damaged: " + e.getMessage();
        }
        String name = keys.name(md.digest());
        return name.equals(blob)
                ? null
                : "damaged: its content does not match its name (" + name.substring(0, 12) + "...)";
    }
}
