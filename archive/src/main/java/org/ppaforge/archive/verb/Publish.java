package org.ppaforge.archive.verb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.archive.publish.Publisher;
import org.ppaforge.archive.signing.ReleaseSigner;
import org.ppaforge.archive.store.IndexRows;

/**
 * Publishes an archive as a signed apt repository under the publish root
 * ({@code <root>/<archive>/dists/...}, {@code <root>/<archive>/pool/...}), signed by every
 * active key of the archive. Verbs that change an archive run it after their transaction.
 */
public final class Publish {
    private final Ppaforge ppa;
    private String archive;
    private String series;

    public Publish(Ppaforge ppa) {
        this.ppa = ppa;
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

    public Publisher.Result call() {
        long t0 = System.nanoTime();
        Publisher.Snapshot snap = ppa.metadata().read(tx -> {
            Archive a = Lookup.archive(tx, archive);
            List<String> list = series == null ? a.series() : List.of(Lookup.series(a, series));
            long q0 = System.nanoTime();
            Map<String, List<IndexRows.Binary>> binaries = tx.indexBinaries(a.id()); // every series: the pool needs them all
            org.ppaforge.archive.publish.Publisher.timing("query of published binaries", q0);
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
        List<ArchiveKey> keys = ppa.metadata().read(tx -> tx.keys(snap.archive().id())).stream().filter(ArchiveKey::active).toList();
        ReleaseSigner signer = null;
        List<String> signedBy = new ArrayList<>();
        if (!keys.isEmpty()) {
            List<PGPSecretKey> secret = new ArrayList<>();
            for (ArchiveKey k : keys) {
                try {
                    secret.add(ppa.secretKeys().read(k.fingerprint()).getSecretKey());
                } catch (RuntimeException e) {
                    throw new ArchiveException(ArchiveException.Kind.INVALID, "cannot sign " + snap.archive().name() + ": "
                            + e.getMessage(), e);
                }
                signedBy.add(k.fingerprint());
            }
            signer = new ReleaseSigner(secret, ppa.keyPassphrase());
        }
        List<String> list = series == null ? snap.archive().series() : List.copyOf(snap.sources().keySet());
        if (System.getenv("PPAFORGE_TIMINGS") != null) {
            System.err.printf("publish timings: snapshot %.3f s, keys %.3f s%n", (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
        }
        try {
            return new Publisher(ppa.metadata(), ppa.blobs(), ppa.publishCache())
                    .publish(snap, ppa.publishRoot().resolve(snap.archive().name()), list, signer, signedBy);
        } catch (IOException | UncheckedIOException e) {
            throw new ArchiveException(ArchiveException.Kind.IO, "publishing " + snap.archive().name() + " into "
                    + ppa.publishRoot().resolve(snap.archive().name()) + " failed: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ArchiveException(ArchiveException.Kind.INVALID, "cannot sign " + snap.archive().name() + ": " + e.getMessage(), e);
        }
    }
}
