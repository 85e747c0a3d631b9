package org.ppaforge.archive.verb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.archive.model.PoolFile;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.model.Status;
import org.ppaforge.archive.store.StoreTx;

/**
 * The copy rules, shared by {@link Copy} and {@link Sync}, applied inside one transaction
 * to one target archive and series, whose state is loaded once:
 * <ul>
 * <li>a copy older than what the target publishes is refused (unless downgrades are allowed);
 * <li>a different source with the same version is refused, including one the target
 *     published before (superseded or deleted);
 * <li>a copy with binaries must bring every binary the target already publishes for that
 *     source (the copied set is a superset);
 * <li>no pool file name may change content in the target;
 * <li>a source known only from its binaries can only be copied with them.
 * </ul>
 */
final class Copier {
    enum Outcome {
        COPIED,
        BINARIES_ADDED,
        UNCHANGED
    }

    private final StoreTx tx;
    private final Archive to;
    private final String toSeries;
    private final String user;
    private final Instant now;
    private final String where;
    private final Map<String, SourcePublication> published = new HashMap<>();
    private final Map<String, List<SourcePublication>> history = new HashMap<>();
    private final PublishedBinaries binaries;
    private final Map<Long, List<BinaryPublication>> binariesBySource = new HashMap<>();
    private final Map<String, String> pool;
    private final Map<Long, List<BinaryPublication>> fromBinaries = new HashMap<>();

    Copier(StoreTx tx, Archive to, String toSeries, String user, Instant now) {
        this.tx = tx;
        this.to = to;
        this.toSeries = toSeries;
        this.user = user;
        this.now = now;
        this.where = to.name() + "/" + toSeries;
        for (SourcePublication p : tx.sources(to.id(), toSeries, false)) {
            history.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
            if (p.status() == Status.PUBLISHED) {
                published.put(p.name(), p);
            }
        }
        List<BinaryPublication> publishedBinaries = tx.publishedBinaries(to.id(), toSeries);
        this.binaries = new PublishedBinaries(publishedBinaries);
        for (BinaryPublication b : publishedBinaries) {
            binariesBySource
                    .computeIfAbsent(b.sourcePublicationId(), k -> new ArrayList<>())
                    .add(b);
        }
        this.pool = tx.poolNames(to.id());
    }

    /** Preloads the published binaries of a source archive series (saves one query per copied source). */
    void preloadSourceBinaries(Archive from, String fromSeries) {
        for (BinaryPublication b : tx.publishedBinaries(from.id(), fromSeries)) {
            fromBinaries
                    .computeIfAbsent(b.sourcePublicationId(), k -> new ArrayList<>())
                    .add(b);
        }
    }

    SourcePublication publishedInTarget(String name) {
        return published.get(name);
    }

    List<BinaryPublication> binariesOf(SourcePublication p) {
        List<BinaryPublication> pre = fromBinaries.get(p.id());
        if (pre != null) {
            return pre;
        }
        if (p.archiveId() == to.id() && p.series().equals(toSeries)) {
            return binariesBySource.getOrDefault(p.id(), List.of());
        }
        List<BinaryPublication> all = tx.binariesOf(p.id());
        return p.status() == Status.PUBLISHED
                ? all.stream().filter(b -> b.status() == Status.PUBLISHED).toList()
                : all;
    }

    Outcome copy(SourcePublication src, String origin, boolean withBinaries, boolean allowDowngrade) {
        String label = src.name() + " " + src.version();
        SourcePublication current = published.get(src.name());
        if (!withBinaries && !src.hasDsc()) {
            throw ArchiveException.refused(label
                    + " has no source package (.dsc), only binaries: copy it with its binaries " + "(--with-binaries)");
        }
        for (SourcePublication old : history.getOrDefault(src.name(), List.of())) {
            if (old.version().equals(src.version()) && old.sourceId() != src.sourceId()) {
                throw ArchiveException.refused("a different source " + src.name() + " " + old.version() + " is "
                        + (old.status() == Status.PUBLISHED ? "already published in " : "in the history of ") + where
                        + " (same version, other content): refusing to copy " + label);
            }
        }
        List<BinaryPublication> bring = new ArrayList<>();
        if (withBinaries) {
            for (BinaryPublication b : binariesOf(src)) {
                if (Lookup.buildsFor(to, b.architecture())) {
                    bring.add(b);
                }
            }
        }
        if (current != null) {
            int cmp = src.version().compareTo(current.version());
            if (cmp < 0 && !allowDowngrade) {
                throw ArchiveException.refused("cannot copy " + label + ": it is older than " + current.version()
                        + " published in " + where + " (allow downgrades to replace it)");
            }
            if (cmp == 0) {
                return addMissingBinaries(current, bring, label);
            }
        }
        checkPool(src, bring);
        long pubId = tx.publishSource(
                to.id(),
                toSeries,
                to.components().contains(src.component())
                        ? src.component()
                        : to.components().get(0),
                src.sourceId(),
                src.name(),
                src.version().toString(),
                origin,
                user,
                now,
                current == null ? null : current.id());
        if (current != null && src.version().compareTo(current.version()) < 0) {
            // A downgrade replaces the newer version everywhere; otherwise its binaries stay until newer ones of the
            // same name and architecture arrive (domination per binary, as in Launchpad and dak).
            for (BinaryPublication b : binariesBySource.getOrDefault(current.id(), List.of())) {
                if (b.status() == Status.PUBLISHED && binaries.remove(b)) {
                    tx.supersedeBinary(b.id(), now);
                }
            }
        }
        SourcePublication created = new SourcePublication(
                pubId,
                to.id(),
                toSeries,
                src.component(),
                src.sourceId(),
                src.name(),
                src.version(),
                Status.PUBLISHED,
                origin,
                now,
                user,
                null,
                null,
                null,
                null,
                src.hasDsc());
        published.put(src.name(), created);
        history.computeIfAbsent(src.name(), k -> new ArrayList<>()).add(created);
        for (BinaryPublication b : bring) {
            publishBinary(pubId, b);
        }
        return Outcome.COPIED;
    }

    /** The same source is published already: bring binaries it lacks, refusing a copy that would drop some. */
    private Outcome addMissingBinaries(SourcePublication current, List<BinaryPublication> bring, String label) {
        List<BinaryPublication> have = binariesBySource.getOrDefault(current.id(), List.of());
        if (bring.isEmpty()) {
            return Outcome.UNCHANGED;
        }
        Set<Long> bringing = new HashSet<>();
        bring.forEach(b -> bringing.add(b.binaryId()));
        List<String> missing = have.stream()
                .filter(b -> !bringing.contains(b.binaryId()))
                .map(b -> b.name() + " (" + b.architecture() + ")")
                .toList();
        if (!missing.isEmpty()) {
            throw ArchiveException.refused("cannot copy " + label + " with binaries: " + where
                    + " already publishes binaries " + "the copy does not bring: " + String.join(", ", missing));
        }
        Set<Long> present = new HashSet<>();
        have.forEach(b -> present.add(b.binaryId()));
        List<BinaryPublication> add =
                bring.stream().filter(b -> !present.contains(b.binaryId())).toList();
        if (add.isEmpty()) {
            return Outcome.UNCHANGED;
        }
        for (BinaryPublication b : add) {
            Lookup.checkPoolName(pool, to, b.filename(), b.sha256());
        }
        for (BinaryPublication b : add) {
            publishBinary(current.id(), b);
        }
        return Outcome.BINARIES_ADDED;
    }

    /** Makes the published binaries of a source publication in the target exactly {@code wanted}. */
    void replaceBinaries(SourcePublication current, List<BinaryPublication> wanted) {
        Set<Long> keep = new HashSet<>();
        wanted.stream().filter(b -> Lookup.buildsFor(to, b.architecture())).forEach(b -> keep.add(b.binaryId()));
        List<BinaryPublication> have = binariesBySource.getOrDefault(current.id(), List.of());
        Set<Long> present = new HashSet<>();
        for (BinaryPublication b : have) {
            present.add(b.binaryId());
            if (!keep.contains(b.binaryId())) {
                tx.supersedeBinary(b.id(), now);
                binaries.remove(b);
            }
        }
        for (BinaryPublication b : wanted) {
            if (keep.contains(b.binaryId()) && !present.contains(b.binaryId())) {
                Lookup.checkPoolName(pool, to, b.filename(), b.sha256());
                publishBinary(current.id(), b);
            }
        }
    }

    /** Holds a copy with binaries to the bound an include is held to (see {@link Lookup#checkContents}). */
    void checkContents(long max) {
        Lookup.checkContents(tx, to, toSeries, max, "nothing was copied");
    }

    private void checkPool(SourcePublication src, List<BinaryPublication> bring) {
        if (src.hasDsc()) {
            for (PoolFile f : tx.sourceFiles(src.sourceId())) {
                Lookup.checkPoolName(pool, to, f.filename(), f.sha256());
                pool.put(f.filename(), f.sha256());
            }
        }
        for (BinaryPublication b : bring) {
            Lookup.checkPoolName(pool, to, b.filename(), b.sha256());
        }
    }

    private void publishBinary(long pubId, BinaryPublication b) {
        for (BinaryPublication other : binaries.replacedBy(b.name(), b.architecture())) {
            tx.supersedeBinary(other.id(), now);
        }
        long id = tx.publishBinary(pubId, b.binaryId(), to.id(), toSeries, b.name(), b.architecture(), now);
        BinaryPublication created = new BinaryPublication(
                id,
                pubId,
                b.binaryId(),
                b.name(),
                b.version(),
                b.architecture(),
                b.filename(),
                b.sha256(),
                Status.PUBLISHED);
        binaries.put(created);
        binariesBySource.computeIfAbsent(pubId, k -> new ArrayList<>()).add(created);
        pool.put(b.filename(), b.sha256());
    }
}
