package org.ppaforge.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Checks a target: every object every backup needs is there; with {@link #readData} every one is also opened (its
 * authentication checked) and its content hashed against its name. A damaged or missing object is named with the
 * backups that need it.
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
        Set<String> present = backups.target.list("data/");
        List<Problem> problems = new ArrayList<>();
        int n = 0;
        for (var e : neededBy.entrySet()) {
            String o = e.getKey();
            n++;
            if (!present.contains(o)) {
                problems.add(new Problem(o, "missing", e.getValue()));
                continue;
            }
            if (readData) {
                progress.accept("object " + n + " of " + neededBy.size());
                String why = check(keys, o);
                if (why != null) {
                    problems.add(new Problem(o, why, e.getValue()));
                }
            }
        }
        return new Result(all.size(), neededBy.size(), problems);
    }

    /** Null when the object opens and hashes to its name; else what is wrong. */
    private String check(Keys keys, String object) throws IOException {
        MessageDigest md = CreateBackup.sha256();
        try (InputStream in = backups.target.open("data/" + object);
                OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
            keys.sealing().open(in, sink, "data");
        } catch (Sealing.Damaged e) {
            return "damaged: " + e.getMessage();
        }
        String name = keys.name(md.digest());
        return name.equals(object)
                ? null
                : "damaged: its content does not match its name (" + name.substring(0, 12) + "...)";
    }
}
