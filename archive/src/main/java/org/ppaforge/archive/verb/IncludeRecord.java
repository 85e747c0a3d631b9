package org.ppaforge.archive.verb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.archive.model.PoolFile;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.model.Status;
import org.ppaforge.archive.store.StoreTx;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.checksum.Checksums;

/**
 * Include's recording, in the one transaction: the archive's rules against what the series publishes (older versions,
 * reused pool names, domination of the binaries a newer version replaces) and the rows that publish the new packages.
 */
final class IncludeRecord {
    private final Include include;

    IncludeRecord(Include include) {
        this.include = include;
    }

    static final class Group {
        final String name;
        final Version version;
        IncludeFiles.SourceItem source;
        final List<IncludeFiles.DebItem> debs = new ArrayList<>();

        Group(String name, Version version) {
            this.name = name;
            this.version = version;
        }
    }

    /** Records the binary package rows (and pool file rows) of a batch of read .debs. */
    static void recordBinaries(StoreTx tx, List<IncludeFiles.DebItem> batch, Map<String, Long> known) {
        List<String> shas = new ArrayList<>();
        List<Checksums> sums = new ArrayList<>();
        for (IncludeFiles.DebItem d : batch) {
            if (!known.containsKey(d.checksums().sha256())) {
                shas.add(d.checksums().sha256());
                sums.add(d.checksums());
            }
        }
        if (shas.isEmpty()) {
            return;
        }
        known.putAll(tx.findBinaryPackages(shas));
        tx.putPoolFiles(sums);
        for (IncludeFiles.DebItem d : batch) {
            known.computeIfAbsent(
                    d.checksums().sha256(),
                    sha -> tx.insertBinaryPackage(
                            d.packageName(),
                            d.version().toString(),
                            d.architecture(),
                            d.filename(),
                            sha,
                            d.controlText(),
                            d.contents()));
        }
    }

    Include.Result record(
            StoreTx tx,
            String targetSeries,
            String targetComponent,
            List<Group> groups,
            Collection<Checksums> blobs,
            Map<String, Long> knownBinaries) {
        Archive target = Lookup.archive(tx, include.archive);
        Instant now = include.ppa.clock().instant();
        String where = target.name() + "/" + targetSeries;
        // A small include into a large archive reads only the rows it touches; a bulk one reads all at once.
        boolean narrow = groups.size() <= 200
                && groups.stream().mapToInt(g -> g.debs.size()).sum() <= 1000;
        List<String> binaryNames = groups.stream()
                .flatMap(g -> g.debs.stream())
                .map(IncludeFiles.DebItem::packageName)
                .toList();
        List<String> fileNames = new ArrayList<>();
        for (Group g : groups) {
            if (g.source != null) {
                fileNames.add(g.source.dscPath().getFileName().toString());
                fileNames.addAll(g.source.sums().keySet());
            }
            g.debs.forEach(d -> fileNames.add(d.filename()));
        }
        Map<String, SourcePublication> published = new HashMap<>();
        for (SourcePublication p : narrow
                ? tx.publishedSources(
                        target.id(),
                        targetSeries,
                        groups.stream().map(g -> g.name).toList())
                : tx.sources(target.id(), targetSeries, true)) {
            published.put(p.name(), p);
        }
        PublishedBinaries binaries = new PublishedBinaries(
                narrow
                        ? tx.publishedBinaries(target.id(), targetSeries, binaryNames)
                        : tx.publishedBinaries(target.id(), targetSeries));
        Map<String, String> pool = narrow ? tx.poolNames(target.id(), fileNames) : tx.poolNames(target.id());
        tx.putPoolFiles(blobs);
        Map<String, Long> knownSources = new HashMap<>(
                tx.findSourcePackages(groups.stream().map(g -> g.name).toList()));

        List<String> newSources = new ArrayList<>();
        List<String> newBinaries = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> superseded = new ArrayList<>();
        int done = 0;
        Map<Long, String> binaryLabelOf = new HashMap<>(); // binary publication made by this call -> its label
        Map<Long, String> sourceLabelOf = new HashMap<>();
        for (Group g : groups) {
            String label = g.name + " " + g.version;
            SourcePublication current = published.get(g.name);
            int cmp;
            try { // the group's own rules, before anything of it is written
                if (g.source != null) {
                    Lookup.checkPoolName(
                            pool,
                            target,
                            g.source.dscPath().getFileName().toString(),
                            g.source.dscSums().sha256());
                    for (var e : g.source.sums().entrySet()) {
                        Lookup.checkPoolName(
                                pool, target, e.getKey(), e.getValue().sha256());
                    }
                }
                cmp = include.againstPublished(g.name, g.version, current, where);
                if (cmp == 0 && g.source != null && current.hasDsc()) {
                    Long found = knownSources.get(StoreTx.sourceKey(
                            g.name,
                            current.version().toString(),
                            g.source.dscSums().sha256()));
                    if (found == null || found != current.sourceId()) {
                        throw ArchiveException.refused("a different source " + label + " is already published in "
                                + where + " (same version, other .dsc): upload a new version");
                    }
                }
            } catch (ArchiveException e) {
                include.refuse(
                        g.source != null
                                ? g.source.dscPath().toString()
                                : g.debs.stream().map(d -> d.path().toString()).collect(Collectors.joining(", ")),
                        e);
                continue;
            }
            List<IncludeFiles.DebItem> debs = new ArrayList<>();
            for (IncludeFiles.DebItem d : g.debs) {
                try {
                    if (!Lookup.buildsFor(target, d.architecture())) {
                        throw ArchiveException.refused(d.path() + ": architecture '" + d.architecture()
                                + "' is not built by archive '" + target.name() + "' (its architectures: "
                                + String.join(", ", target.architectures()) + ")");
                    }
                    Lookup.checkPoolName(
                            pool, target, d.filename(), d.checksums().sha256());
                    debs.add(d);
                } catch (ArchiveException e) {
                    include.refuse(d.path().toString(), e);
                }
            }
            if (g.source == null && debs.isEmpty()) {
                continue;
            }
            long publicationId;
            if (cmp == 0) {
                publicationId = current.id();
                if (g.source != null) {
                    String dscSha = g.source.dscSums().sha256();
                    if (current.hasDsc()) { // the same .dsc: checked above
                        unchanged.add("source " + label);
                    } else {
                        tx.attachDsc(
                                current.sourceId(),
                                dscSha,
                                g.source.dsc().stanza().toString(),
                                sourceFiles(g.source));
                        newSources.add(label);
                    }
                }
            } else {
                long sourceId = sourceId(tx, g, now, knownSources);
                publicationId = tx.publishSource(
                        target.id(),
                        targetSeries,
                        targetComponent,
                        sourceId,
                        g.name,
                        g.version.toString(),
                        include.origin,
                        include.by,
                        now,
                        current == null ? null : current.id());
                if (current != null && cmp < 0) { // a downgrade replaces the newer version on every architecture
                    for (BinaryPublication b : tx.binariesOf(current.id())) {
                        if (b.status() == Status.PUBLISHED) {
                            tx.supersedeBinary(b.id(), now);
                            binaries.remove(b);
                        }
                    }
                }
                if (current != null) { // otherwise its binaries stay until newer ones of the same name and architecture
                    // arrive
                    if (sourceLabelOf.containsKey(
                            current.id())) { // published earlier in this call: no longer published
                        newSources.remove(sourceLabelOf.get(current.id()));
                    } else {
                        superseded.add(current.name() + " " + current.version());
                    }
                }
                sourceLabelOf.put(publicationId, label);
                published.put(
                        g.name,
                        new SourcePublication(
                                publicationId,
                                target.id(),
                                targetSeries,
                                targetComponent,
                                sourceId,
                                g.name,
                                g.version,
                                Status.PUBLISHED,
                                include.origin,
                                now,
                                include.by,
                                null,
                                null,
                                null,
                                null,
                                g.source != null));
                newSources.add(label);
            }
            if (g.source != null) {
                pool.put(
                        g.source.dscPath().getFileName().toString(),
                        g.source.dscSums().sha256());
                g.source.sums().forEach((name, sums) -> pool.put(name, sums.sha256()));
            }
            for (IncludeFiles.DebItem d : debs) {
                String filename = d.filename();
                String sha = d.checksums().sha256();
                BinaryPublication same = binaries.exact(d.packageName(), d.architecture());
                String binLabel = d.packageName() + " " + d.version() + " (" + d.architecture() + ")";
                if (same != null && same.sha256().equals(sha)) {
                    unchanged.add(binLabel);
                    continue;
                }
                long binaryId = knownBinaries.get(sha);
                for (BinaryPublication existing : binaries.replacedBy(d.packageName(), d.architecture())) {
                    tx.supersedeBinary(existing.id(), now);
                    String earlier = binaryLabelOf.remove(existing.id());
                    if (earlier != null) { // published earlier in this call: no longer published
                        newBinaries.remove(earlier);
                    } else {
                        superseded.add(
                                existing.name() + " " + existing.version() + " (" + existing.architecture() + ")");
                    }
                }
                long bpId = tx.publishBinary(
                        publicationId, binaryId, target.id(), targetSeries, d.packageName(), d.architecture(), now);
                binaries.put(new BinaryPublication(
                        bpId,
                        publicationId,
                        binaryId,
                        d.packageName(),
                        d.version(),
                        d.architecture(),
                        filename,
                        sha,
                        Status.PUBLISHED));
                pool.put(filename, sha);
                newBinaries.add(binLabel);
                binaryLabelOf.put(bpId, binLabel);
            }
            include.progress.update("recording", ++done, groups.size());
            include.ppa.diagnostics().inTransaction(done);
        }
        if (!newBinaries.isEmpty()) { // measured as the series now stands (what this call replaced no longer counts)
            Lookup.checkContents(tx, target, targetSeries, include.ppa.maxContentsBytes(), "nothing was included");
        }
        return new Include.Result(
                target.name(),
                targetSeries,
                newSources,
                newBinaries,
                unchanged,
                superseded,
                List.copyOf(include.skipped));
    }

    static long sourceId(StoreTx tx, Group g, Instant now, Map<String, Long> known) {
        String version = g.version.toString();
        String dscSha = g.source == null ? null : g.source.dscSums().sha256();
        return known.computeIfAbsent(
                StoreTx.sourceKey(g.name, version, dscSha),
                k -> g.source == null
                        ? tx.insertSourcePackage(g.name, version, null, null, List.of(), now)
                        : tx.insertSourcePackage(
                                g.name,
                                version,
                                dscSha,
                                g.source.dsc().stanza().toString(),
                                sourceFiles(g.source),
                                now));
    }

    static List<PoolFile> sourceFiles(IncludeFiles.SourceItem s) {
        List<PoolFile> files = new ArrayList<>();
        files.add(new PoolFile(s.dscPath().getFileName().toString(), s.dscSums().sha256()));
        s.sums().forEach((name, sums) -> files.add(new PoolFile(name, sums.sha256())));
        return files;
    }
}
