package org.ppaforge.backup;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.ppaforge.common.ForgeException;

/**
 * Copies a target's backups to another (an external drive first, then the cloud at one's own pace): the config (so the
 * same passphrase opens both), every pack and index the destination lacks, then the snapshots it lacks, each only after
 * what it names. Everything goes as it is, sealed; resumable, since the destination's listing says what is there.
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
        // Packs first, then the index naming them, then the first format's single-blob objects, then the snapshots:
        // each only after what it names, so a copy cut off anywhere leaves a good target that the next copy completes.
        Packs packs = Packs.load(from.target, from.keys(false));
        Set<String> packsThere = new HashSet<>();
        to.list("packs/").forEach(p -> packsThere.add("packs/" + p));
        Set<String> indexesThere = to.list("index/");
        Map<String, List<String>> byObject = packs.byObject();
        int objects = 0;
        long bytes = 0;
        for (String index : packs.indexes()) {
            if (indexesThere.contains(index)) {
                continue;
            }
            for (String object : packs.packsOf(index)) {
                if (packsThere.add(object)) {
                    bytes += copy(object);
                    objects += byObject.getOrDefault(object, List.of()).size();
                    progress.accept(objects + " blobs, " + bytes + " bytes");
                }
            }
            to.sync();
            to.put("index/" + index, from.target.read("index/" + index));
        }
        Set<String> dataThere = to.list("data/");
        for (String blob : from.target.list("data/")) {
            if (!dataThere.contains(blob)) {
                bytes += copy("data/" + blob);
                objects++;
            }
        }
        int snapshots = 0;
        Set<String> snapshotsThere = to.list("snapshots/");
        to.sync();
        for (String id : from.target.list("snapshots/")) {
            if (!snapshotsThere.contains(id)) {
                to.put("snapshots/" + id, from.target.read("snapshots/" + id));
                snapshots++;
            }
        }
        to.sync();
        return new Result(snapshots, objects, bytes);
    }

    private long copy(String object) throws IOException {
        to.write(object, out -> {
            try (var in = from.target.open(object)) {
                in.transferTo(out);
            }
        });
        return to.size(object);
    }
}
