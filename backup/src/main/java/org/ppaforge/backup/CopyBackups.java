package org.ppaforge.backup;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.ppaforge.common.ForgeException;

/**
 * Copies a target's backups to another (an external drive first, then the cloud at one's own pace): the config (so the
 * same passphrase opens both), every object the destination lacks, then the snapshots it lacks, each only after its
 * objects. Objects go as they are, sealed; resumable, since the destination's listing says what is already there.
 */
public final class CopyBackups {
    private final Backups from;
    private final Target to;
    private Consumer<String> progress = s -> {};

    public record Result(int snapshotsCopied, int objectsCopied, long bytesCopied) {}

    CopyBackups(Backups from, Target to) {
        this.from = from;
        this.to = to;
    }

    public CopyBackups progress(Consumer<String> progress) {
        this.progress = progress;
        return this;
    }

    public Result call() throws IOException {
        from.keys(false); // the passphrase opens the source
        byte[] config = from.target.read(Keys.CONFIG);
        if (to.exists(Keys.CONFIG)) {
            if (!Arrays.equals(to.read(Keys.CONFIG), config)) {
                throw ForgeException.refused(
                        "the destination holds backups of other keys: copy into a new or an earlier copy's target");
            }
        } else {
            to.put(Keys.CONFIG, config);
        }
        Set<String> there = new HashSet<>(to.list("data/"));
        int objects = 0;
        long bytes = 0;
        int snapshots = 0;
        Set<String> snapshotsThere = to.list("snapshots/");
        for (Snapshot s : from.list()) {
            if (snapshotsThere.contains(s.id())) {
                continue;
            }
            for (String o : s.objects()) {
                if (there.add(o)) {
                    to.write("data/" + o, out -> {
                        try (var in = from.target.open("data/" + o)) {
                            in.transferTo(out);
                        }
                    });
                    objects++;
                    bytes += to.size("data/" + o);
                    progress.accept(objects + " objects, " + bytes + " bytes");
                }
            }
            to.put("snapshots/" + s.id(), from.target.read("snapshots/" + s.id()));
            snapshots++;
        }
        return new Result(snapshots, objects, bytes);
    }
}
