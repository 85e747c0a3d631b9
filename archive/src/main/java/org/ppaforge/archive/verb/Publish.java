package org.ppaforge.archive.verb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.blob.S3Trees;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.archive.publish.Publisher;
import org.ppaforge.archive.publish.TreeLock;
import org.ppaforge.archive.signing.ReleaseSigner;
import org.ppaforge.archive.store.IndexRows;
import org.ppaforge.archive.store.MetadataStore;
import org.ppaforge.archive.store.StoreTx;

/**
 * Publishes an archive as a signed apt repository under the publish root
 * ({@code <root>/<archive>/dists/...}, {@code <root>/<archive>/pool/...}), signed by every
 * active key of the archive. Verbs that change an archive run it after their transaction.
 */
public final class Publish {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String archive;
    /** A follow-up publish (see {@link #republish}) asks for none of its own: a group that could not be cached loops no more. */
    private boolean followUp;

    private String series;

    public Publish(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public Publish caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public Publish archive(String archive) {
        this.archive = archive;
        return this;
    }

    /** Only this series (default: every series of the archive). */
    public Publish series(String series) {
        this.series = series;
        return this;
    }

    /** The published binaries an archive had at its last publish in this process, to be brought up to date cheaply. */
    private record Remembered(Map<String, List<IndexRows.Binary>> bySeries, long maxPublicationId, Instant readAt) {}

    private static final Map<MetadataStore, Map<Long, Remembered>> REMEMBERED = new WeakHashMap<>();
    /** Ended publications are looked up from a minute before the last read: clocks and long transactions. */
    private static final Duration ENDED_MARGIN = Duration.ofMinutes(1);

    /**
     * Every series' published binaries, in index order. A process that published this archive before reads only
     * what changed since (publications with a higher id, publications that ended), and checks the result against
     * the store's count; otherwise, or on any doubt, everything is read.
     */
    private Map<String, List<IndexRows.Binary>> binaries(StoreTx tx, long archiveId) {
        Instant readAt = Instant.now();
        long maxId = tx.maxBinaryPublicationId();
        Remembered before;
        synchronized (REMEMBERED) {
            before = REMEMBERED
                    .computeIfAbsent(ppa.metadata(), k -> new HashMap<>())
                    .get(archiveId);
        }
        Map<String, List<IndexRows.Binary>> result = null;
        List<IndexRows.BinaryChange> changes = before == null
                ? null
                : tx.binaryChanges(
                        archiveId, before.maxPublicationId(), before.readAt().minus(ENDED_MARGIN));
        if (changes != null && changes.size() <= 1000) { // a bulk change is read whole, in order, by the store
            result = applyChanges(before.bySeries(), changes);
            long count = result.values().stream().mapToLong(List::size).sum();
            if (count != tx.publishedBinaryCount(archiveId)) {
                result = null; // a change not seen: read everything
            }
        }
        if (result == null) {
            result = tx.indexBinaries(archiveId);
        }
        synchronized (REMEMBERED) {
            REMEMBERED.get(ppa.metadata()).put(archiveId, new Remembered(result, maxId, readAt));
        }
        return result;
    }

    private static final Comparator<IndexRows.Binary> INDEX_ORDER = Comparator.comparing(IndexRows.Binary::component)
            .thenComparing(IndexRows.Binary::name)
            .thenComparing(IndexRows.Binary::architecture)
            .thenComparingLong(IndexRows.Binary::binaryId);

    private static Map<String, List<IndexRows.Binary>> applyChanges(
            Map<String, List<IndexRows.Binary>> before, List<IndexRows.BinaryChange> changes) {
        Map<String, List<IndexRows.Binary>> out = new HashMap<>(before); // lists are copied only where they change
        Map<String, Set<Long>> ended = new HashMap<>();
        for (IndexRows.BinaryChange c : changes) {
            if (!c.published()) {
                ended.computeIfAbsent(c.series(), k -> new HashSet<>())
                        .add(c.binary().publicationId());
            }
        }
        ended.forEach((series, ids) -> {
            List<IndexRows.Binary> list = out.get(series);
            if (list != null) {
                List<IndexRows.Binary> kept = new ArrayList<>(list.size());
                for (IndexRows.Binary b : list) {
                    if (!ids.contains(b.publicationId())) {
                        kept.add(b);
                    }
                }
                out.put(series, kept);
            }
        });
        Set<String> copied = new HashSet<>(ended.keySet());
        for (IndexRows.BinaryChange c : changes) {
            if (!c.published()) {
                continue;
            }
            List<IndexRows.Binary> list = out.get(c.series());
            if (list == null || copied.add(c.series())) {
                list = list == null ? new ArrayList<>() : new ArrayList<>(list);
                out.put(c.series(), list);
            }
            if (list.stream().noneMatch(b -> b.publicationId() == c.binary().publicationId())) {
                int at = Collections.binarySearch(list, c.binary(), INDEX_ORDER);
                list.add(at < 0 ? -at - 1 : at, c.binary());
            }
        }
        return out;
    }

    public Publisher.Result call() {
        caller.write(ppa, archive);
        String name =
                ppa.metadata().read(tx -> Lookup.archive(tx, archive).name()); // before a directory is made for it
        Path tree = ppa.publishRoot().resolve(name);
        try {
            // One publish of an archive at a time across servers on a shared database (and threads and processes by
            // the tree's lock): its snapshot is read inside, so no older snapshot is published after a newer one.
            Publisher.Result result = ppa.databases()
                    .locked(
                            "publish " + name,
                            () -> TreeLock.locked(tree, () -> {
                                Publisher.Result r = publishLocked(tree);
                                S3Trees shared = ppa.sharedTrees();
                                if (shared != null) {
                                    long m = System.nanoTime();
                                    S3Trees.Result copied =
                                            shared.mirror(name, tree, Publisher.poolFiles(tree), ppa.diagnostics());
                                    ppa.diagnostics()
                                            .timing(
                                                    "publish timings: copy to the bucket (" + copied.uploaded()
                                                            + " sent, " + copied.copiedInBucket() + " copied there, "
                                                            + copied.deleted() + " deleted)",
                                                    (System.nanoTime() - m) / 1e9);
                                }
                                return r;
                            }));
            ppa.announcePublished(name, result);
            return result;
        } catch (IOException | UncheckedIOException e) {
            ppa.published(); // part of a tree may have been written: cached files are checked again

            throw new ArchiveException(
                    ArchiveException.Kind.IO, "publishing " + name + " into " + tree + " failed: " + e.getMessage(), e);
        }
    }

    /** The snapshot is read holding the tree's lock, so no older snapshot is published after it. */
    private Publisher.Result publishLocked(Path tree) throws IOException {
        long t0 = System.nanoTime();
        long[] seq = new long[1];
        Publisher.Snapshot snap = ppa.metadata().read(tx -> {
            Archive a = Lookup.archive(tx, archive);
            seq[0] = tx.changedSeq(a.id());
            List<String> list = series == null ? a.series() : List.of(Lookup.series(a, series));
            long q0 = System.nanoTime();
            Map<String, List<IndexRows.Binary>> binaries =
                    binaries(tx, a.id()); // every series: the pool needs them all
            Publisher.timing(ppa.diagnostics(), "query of published binaries", q0);
            Map<String, List<IndexRows.Source>> sources = new HashMap<>();
            for (String s : list) {
                sources.put(s, tx.indexSources(a.id(), s));
            }
            List<IndexRows.PoolEntry> pool = tx.sourcePoolEntries(a.id());
            for (List<IndexRows.Binary> bs : binaries.values()) {
                for (IndexRows.Binary b : bs) {
                    pool.add(new IndexRows.PoolEntry(b.component(), b.source(), b.filename(), b.sha256()));
                }
            }
            return new Publisher.Snapshot(a, tx.publishSettings(a.id()), binaries, sources, pool);
        });
        long t1 = System.nanoTime();
        Signer keys = signer(ppa, snap.archive());
        ReleaseSigner signer = keys.signer();
        List<String> signedBy = keys.signedBy();
        List<String> list = series == null
                ? snap.archive().series()
                : List.copyOf(snap.sources().keySet());
        Publisher.timing(ppa.diagnostics(), "snapshot", t0);
        Publisher.timing(ppa.diagnostics(), "keys", t1);
        try {
            Publisher.Result r = new Publisher(ppa.metadata(), ppa.blobs(), ppa.publishCache())
                    .diagnostics(ppa.diagnostics())
                    .afterRegrouping(followUp ? null : this::republish)
                    .publish(snap, tree, list, signer, signedBy);
            ppa.published();
            if (series == null) { // the whole tree now shows the snapshot's state
                ppa.metadata().write(tx -> {
                    tx.markPublished(snap.archive().id(), seq[0]);
                    return null;
                });
            }
            return r;
        } catch (IllegalArgumentException e) {
            throw new ArchiveException(
                    ArchiveException.Kind.INVALID,
                    "cannot sign " + snap.archive().name() + ": " + e.getMessage(),
                    e);
        }
    }

    /** The follow-up publish once the background made the xz groups this one left partial whole (see Publisher). */
    private void republish() {
        try {
            Publish again = ppa.publish().archive(archive);
            again.followUp = true;
            again.call();
        } catch (RuntimeException e) {
            // the archive's next change publishes them; nothing is lost
        }
    }

    /** What signs for an archive: its active keys (a null signer when it has none) and their fingerprints. */
    public record Signer(ReleaseSigner signer, List<String> signedBy) {}

    /** The signer of an archive's active keys, as its Release files are signed. */
    public static Signer signer(Ppaforge ppa, Archive archive) {
        List<ArchiveKey> keys = ppa.metadata().read(tx -> tx.keys(archive.id())).stream()
                .filter(ArchiveKey::active)
                .toList();
        if (keys.isEmpty()) {
            return new Signer(null, List.of());
        }
        List<PGPSecretKey> secret = new ArrayList<>();
        List<String> signedBy = new ArrayList<>();
        for (ArchiveKey k : keys) {
            try {
                secret.add(ppa.secretKeys().read(k.fingerprint()).getSecretKey());
            } catch (RuntimeException e) {
                throw new ArchiveException(
                        ArchiveException.Kind.INVALID, "cannot sign " + archive.name() + ": " + e.getMessage(), e);
            }
            signedBy.add(k.fingerprint());
        }
        return new Signer(new ReleaseSigner(secret, ppa.keyPassphrase()), signedBy);
    }

    /** The signer of a named archive's active keys (the caller's access is the caller's to check). */
    public static Signer signer(Ppaforge ppa, String archive) {
        Archive a = ppa.metadata().read(tx -> Lookup.archive(tx, archive));
        return signer(ppa, a);
    }
}
