package org.ppaforge.archive.verb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.store.BlobStore;

/**
 * Deletes the pool files nothing needs any more ({@code ppa gc}): no published package names them, no superseded or
 * deleted one its archive still serves to clients mid-update (its keep-superseded time), and no other module keeps
 * them ({@link #alsoKeep}: the build environments). A file stored within the grace period (default one day) stays
 * whatever the database says: an include stores its files before its transaction commits. The needed files are read
 * before the pool is walked, so a publication that commits meanwhile names a file that is younger than the grace.
 */
public final class CollectGarbage {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private Duration grace = Duration.ofDays(1);
    private Set<String> alsoKeep = Set.of();
    private boolean dryRun;

    /** What was (or, in a dry run, would be) deleted. */
    public record Result(int files, long bytes, int kept, List<String> deleted) {}

    public CollectGarbage(Ppaforge ppa) {
        this.ppa = ppa;
    }

    public CollectGarbage caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public CollectGarbage grace(Duration grace) {
        if (grace.isNegative()) {
            throw ArchiveException.invalid("the grace period is not negative");
        }
        this.grace = grace;
        return this;
    }

    /** Files other modules need (the build farm's chroot tarballs). */
    public CollectGarbage alsoKeep(Set<String> sha256s) {
        this.alsoKeep = Set.copyOf(sha256s);
        return this;
    }

    public CollectGarbage dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    public Result call() {
        caller.admin(ppa);
        Instant now = ppa.clock().instant();
        Set<String> needed = ppa.metadata().read(tx -> {
            Set<String> n = new java.util.HashSet<>(tx.neededPoolFiles(now));
            n.addAll(tx.incomingBlobs()); // uploads in progress (on shared stores)
            return n;
        });
        Instant young = Instant.now().minus(grace); // the file system's clock: blob times are its
        List<BlobStore.Stored> garbage = new ArrayList<>();
        int[] kept = {0};
        try {
            ppa.blobs().forEach(b -> {
                if (needed.contains(b.sha256())
                        || alsoKeep.contains(b.sha256())
                        || b.storedAt().isAfter(young)) {
                    kept[0]++;
                } else {
                    garbage.add(b);
                }
            });
            long bytes = 0;
            List<String> deleted = new ArrayList<>();
            for (BlobStore.Stored b : garbage) {
                if (!dryRun) {
                    ppa.blobs().delete(b.sha256());
                }
                bytes += b.size();
                deleted.add(b.sha256());
            }
            return new Result(deleted.size(), bytes, kept[0], deleted);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
