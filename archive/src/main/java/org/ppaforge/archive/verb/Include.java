package org.ppaforge.archive.verb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.Progress;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.archive.model.PoolFile;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.model.Status;
import org.ppaforge.archive.store.StoreTx;
import org.ppaforge.common.Names;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.changes.Changes;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.debian.checksum.ListedFile;
import org.ppaforge.debian.control.ControlText;
import org.ppaforge.debian.deb.DataEntry;
import org.ppaforge.debian.deb.DebPackage;
import org.ppaforge.debian.deb.DebReader;
import org.ppaforge.debian.deb.UnpackLimits;
import org.ppaforge.debian.dsc.Dsc;
import org.ppaforge.debian.relation.RelationFields;

/**
 * Adds package files to an archive series: {@code .deb}s, a {@code .dsc} with the files it
 * lists beside it, or a {@code .changes} with its files. Every file is read and verified
 * before anything changes; then the pool files are stored and the publications written in
 * one transaction, so a failure or a crash leaves the archive as it was.
 *
 * <p>Rules: checksums must match what the .dsc/.changes lists; a pool file name already
 * used in the archive with other content is refused; a version older than the one
 * published is refused unless downgrades are allowed; including what is already
 * published is a no-op.
 */
public final class Include {
    private final Ppaforge ppa;
    private String archive;
    private String series;
    private String component;
    private List<Path> files = List.of();
    private boolean allowDowngrade;
    private Progress progress = Progress.NONE;
    // One more reader than cores: readers block in open/link system calls part of the time.
    private int threads = Runtime.getRuntime().availableProcessors() + 1;

    public Include(Ppaforge ppa) {
        this.ppa = ppa;
    }

    public Include archive(String archive) {
        this.archive = archive;
        return this;
    }

    public Include series(String series) {
        this.series = series;
        return this;
    }

    public Include component(String component) {
        this.component = component;
        return this;
    }

    public Include files(List<Path> files) {
        this.files = List.copyOf(files);
        return this;
    }

    public Include allowDowngrade(boolean allow) {
        this.allowDowngrade = allow;
        return this;
    }

    private boolean skipRefused;
    private String origin = "include";

    /** What the history records as the publications' origin (default "include"; a pipeline names its run). */
    public Include origin(String origin) {
        this.origin = origin == null || origin.isBlank() ? "include" : origin;
        return this;
    }

    /**
     * Bulk mode: what the rules refuse (an older version, an architecture the archive does not build, a pool name
     * with other content, an unreadable .deb) is skipped and named in {@link Result#skipped}, and the rest is
     * committed; without it, one refused file refuses the whole call.
     */
    public Include skipRefused(boolean skip) {
        this.skipRefused = skip;
        return this;
    }

    public Include progress(Progress progress) {
        this.progress = progress;
        return this;
    }

    private Consumer<StoreTx> alsoInTransaction = tx -> {};

    /**
     * Work to commit with the include, in its transaction (an upload's log entry): both are recorded, or neither.
     */
    public Include alsoInTransaction(Consumer<StoreTx> work) {
        this.alsoInTransaction = work;
        return this;
    }

    public Include threads(int threads) {
        this.threads = Math.max(1, threads);
        return this;
    }

    /**
     * What the include did: sources and binaries published by it (and still published at its end: an older version
     * superseded within the same call is not counted), what was already there, what it superseded, and (with
     * {@link #skipRefused}) each file skipped with the reason.
     */
    public record Result(
            String archive,
            String series,
            List<String> publishedSources,
            List<String> publishedBinaries,
            List<String> unchanged,
            List<String> superseded,
            List<String> skipped) {
        public Result {
            skipped = skipped == null ? List.of() : skipped;
        }
    }

    private final List<String> skipped = Collections.synchronizedList(new ArrayList<>());

    /** Skips (bulk mode) or throws a refusal: {@code what} names the file. */
    private void refuse(String what, ArchiveException e) {
        if (!skipRefused || e.kind() == ArchiveException.Kind.IO || e.kind() == ArchiveException.Kind.NOT_FOUND) {
            throw e;
        }
        skipped.add(what + ": " + e.getMessage());
    }

    private record SourceItem(
            Dsc dsc, Checksums dscSums, Path dscPath, Map<String, Path> paths, Map<String, Checksums> sums) {}

    /**
     * What recording a read .deb needs, prepared on the reader threads; the parsed package
     * itself (entry lists and all) is not kept, so 20,000 of these stay small.
     */
    private record DebItem(
            Path path,
            String packageName,
            Version version,
            String architecture,
            String sourceName,
            Version sourceVersion,
            Checksums checksums,
            String filename,
            String controlText,
            String contents) {
        DebItem(Path path, DebPackage deb) {
            this(
                    path,
                    deb.packageName(),
                    deb.version(),
                    deb.architecture(),
                    deb.sourceName(),
                    deb.sourceVersion(),
                    deb.checksums(),
                    Lookup.debFileName(deb.packageName(), deb.version(), deb.architecture()),
                    deb.control().toString(),
                    Include.contents(deb));
        }
    }

    /**
     * Refused: a version older than the one the series publishes. The rule is Include's; a caller may word it its own
     * way (an upload's rejection names no command-line option).
     */
    public static final class OlderVersion extends ArchiveException {
        private final String source;
        private final String version;
        private final String published;
        private final String where;

        OlderVersion(String source, Version version, Version published, String where) {
            super(
                    Kind.REFUSED,
                    source + " " + version + " is older than " + published + " already published in " + where
                            + " (use --allow-downgrade to replace it)");
            this.source = source;
            this.version = version.toString();
            this.published = published.toString();
            this.where = where;
        }

        public String source() {
            return source;
        }

        public String version() {
            return version;
        }

        public String published() {
            return published;
        }

        /** archive/series */
        public String where() {
            return where;
        }
    }

    /** How {@code version} of {@code source} orders against what {@code where} publishes; refused when older. */
    private int againstPublished(String source, Version version, SourcePublication current, String where) {
        int cmp = current == null ? 1 : version.compareTo(current.version());
        if (cmp < 0 && !allowDowngrade) {
            throw new OlderVersion(source, version, current.version(), where);
        }
        return cmp;
    }

    private static final class Group {
        final String name;
        final Version version;
        SourceItem source;
        final List<DebItem> debs = new ArrayList<>();

        Group(String name, Version version) {
            this.name = name;
            this.version = version;
        }
    }

    public Result call() throws IOException {
        if (files.isEmpty()) {
            throw ArchiveException.invalid("no files to include");
        }
        // Check the target before reading thousands of files.
        Archive target = ppa.metadata().read(tx -> Lookup.archive(tx, archive));
        String targetSeries = Lookup.series(target, series);
        String targetComponent = component == null ? target.components().get(0) : component;
        if (!target.components().contains(targetComponent)) {
            throw ArchiveException.notFound("archive '" + target.name() + "' has no component '" + targetComponent
                    + "' (its components: " + String.join(", ", target.components()) + ")");
        }

        long t0 = System.nanoTime();
        List<SourceItem> sources = new ArrayList<>();
        List<Path> debPaths = new ArrayList<>();
        for (Path f : expand(files)) {
            String n = f.getFileName().toString();
            if (n.endsWith(".deb")) {
                debPaths.add(f);
            } else if (n.endsWith(".dsc")) {
                sources.add(readSource(f, null));
            } else if (n.endsWith(".changes")) {
                readChanges(f, sources, debPaths);
            } else {
                throw ArchiveException.invalid(f + ": unsupported file type (expected .deb, .dsc or .changes)");
            }
        }

        // An older source is refused before its files are stored (the rule is checked again inside the transaction,
        // which also covers binaries and includes running at once).
        if (!sources.isEmpty()) {
            List<String> names =
                    sources.stream().map(x -> x.dsc().source()).distinct().toList();
            Map<String, SourcePublication> current = new HashMap<>();
            ppa.metadata()
                    .read(tx -> tx.publishedSources(target.id(), targetSeries, names))
                    .forEach(p -> current.put(p.name(), p));
            for (Iterator<SourceItem> it = sources.iterator(); it.hasNext(); ) {
                SourceItem x = it.next();
                try {
                    againstPublished(
                            x.dsc().source(),
                            x.dsc().version(),
                            current.get(x.dsc().source()),
                            target.name() + "/" + targetSeries);
                } catch (ArchiveException e) {
                    refuse(x.dscPath().toString(), e);
                    it.remove();
                }
            }
        }

        // Source files into the pool first: content-addressed, so storing one twice or leaving one behind is harmless.
        Map<String, Checksums> blobs = new LinkedHashMap<>();
        Map<String, Path> blobPaths = new HashMap<>();
        for (SourceItem s : sources) {
            blobs.put(s.dscSums().sha256(), s.dscSums());
            blobPaths.put(s.dscSums().sha256(), s.dscPath());
            for (var e : s.sums().entrySet()) {
                blobs.put(e.getValue().sha256(), e.getValue());
                blobPaths.put(e.getValue().sha256(), s.paths().get(e.getKey()));
            }
        }
        long stored = 0;
        for (var e : blobPaths.entrySet()) {
            ppa.blobs().put(e.getValue(), e.getKey());
            progress.update("storing", ++stored, blobPaths.size());
        }

        // One transaction from here: the .debs are read (and stored in the pool) by reader threads while this
        // thread records their binary package rows; any failure rolls all of it back.
        long t1 = System.nanoTime();
        long[] t2 = new long[1];
        Result result;
        try {
            result = ppa.metadata().write(tx -> {
                Map<String, Long> knownBinaries = new HashMap<>();
                List<DebItem> debs = readDebs(debPaths, batch -> recordBinaries(tx, batch, knownBinaries));
                t2[0] = System.nanoTime();
                Map<String, Group> groups = new LinkedHashMap<>();
                for (SourceItem s : sources) {
                    Group g = groups.computeIfAbsent(
                            s.dsc().source() + "\0" + s.dsc().version(),
                            k -> new Group(s.dsc().source(), s.dsc().version()));
                    if (g.source != null
                            && !g.source.dscSums().sha256().equals(s.dscSums().sha256())) {
                        throw ArchiveException.refused("two different .dsc files for " + g.name + " " + g.version
                                + " in one include: " + g.source.dscPath() + " and " + s.dscPath());
                    }
                    g.source = s;
                }
                for (DebItem d : debs) {
                    Version sv = d.sourceVersion();
                    groups.computeIfAbsent(d.sourceName() + "\0" + sv, k -> new Group(d.sourceName(), sv))
                            .debs
                            .add(d);
                }
                List<Group> ordered = new ArrayList<>(groups.values());
                ordered.sort(Comparator.comparing((Group g) -> g.name).thenComparing(g -> g.version));
                progress.update("recording", 0, ordered.size());
                Result recorded = record(tx, targetSeries, targetComponent, ordered, blobs.values(), knownBinaries);
                alsoInTransaction.accept(tx);
                return recorded;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        ppa.diagnostics().timing("include timings: read sources", (t1 - t0) / 1e9);
        ppa.diagnostics().timing("include timings: read .debs + record binaries", (t2[0] - t1) / 1e9);
        ppa.diagnostics().timing("include timings: record publications", (System.nanoTime() - t2[0]) / 1e9);
        if (!result.publishedSources().isEmpty()
                || !result.publishedBinaries().isEmpty()
                || !result.superseded().isEmpty()) {
            ppa.diagnostics().reached("after-commit");
            progress.update("publishing", 0, 1);
            long t3 = System.nanoTime();
            ppa.changed(result.archive());
            ppa.diagnostics().timing("include timings: publish", (System.nanoTime() - t3) / 1e9);
        }
        return result;
    }

    /** Records the binary package rows (and pool file rows) of a batch of read .debs. */
    private static void recordBinaries(StoreTx tx, List<DebItem> batch, Map<String, Long> known) {
        List<String> shas = new ArrayList<>();
        List<Checksums> sums = new ArrayList<>();
        for (DebItem d : batch) {
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
        for (DebItem d : batch) {
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

    private Result record(
            StoreTx tx,
            String targetSeries,
            String targetComponent,
            List<Group> groups,
            Collection<Checksums> blobs,
            Map<String, Long> knownBinaries) {
        Archive target = Lookup.archive(tx, archive);
        Instant now = Instant.now();
        String where = target.name() + "/" + targetSeries;
        // A small include into a large archive reads only the rows it touches; a bulk one reads all at once.
        boolean narrow = groups.size() <= 200
                && groups.stream().mapToInt(g -> g.debs.size()).sum() <= 1000;
        List<String> binaryNames = groups.stream()
                .flatMap(g -> g.debs.stream())
                .map(DebItem::packageName)
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
                cmp = againstPublished(g.name, g.version, current, where);
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
                refuse(
                        g.source != null
                                ? g.source.dscPath().toString()
                                : g.debs.stream().map(d -> d.path().toString()).collect(Collectors.joining(", ")),
                        e);
                continue;
            }
            List<DebItem> debs = new ArrayList<>();
            for (DebItem d : g.debs) {
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
                    refuse(d.path().toString(), e);
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
                        origin,
                        ppa.user(),
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
                                origin,
                                now,
                                ppa.user(),
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
            for (DebItem d : debs) {
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
            progress.update("recording", ++done, groups.size());
            ppa.diagnostics().inTransaction(done);
        }
        if (!newBinaries.isEmpty()) { // measured as the series now stands (what this call replaced no longer counts)
            Lookup.checkContents(tx, target, targetSeries, ppa.maxContentsBytes(), "nothing was included");
        }
        return new Result(
                target.name(), targetSeries, newSources, newBinaries, unchanged, superseded, List.copyOf(skipped));
    }

    /** A directory stands for the .deb files in it (not recursive), in name order. */
    private static List<Path> expand(List<Path> given) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path f : given) {
            if (Files.isDirectory(f)) {
                List<Path> debs = new ArrayList<>();
                try (var s = Files.newDirectoryStream(f, "*.deb")) {
                    s.forEach(debs::add); // no stat per entry: a directory named *.deb fails clearly when read
                }
                debs.sort(null);
                out.addAll(debs);
            } else {
                out.add(f);
            }
        }
        return out;
    }

    private static long sourceId(StoreTx tx, Group g, Instant now, Map<String, Long> known) {
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

    private static List<PoolFile> sourceFiles(SourceItem s) {
        List<PoolFile> files = new ArrayList<>();
        files.add(new PoolFile(s.dscPath().getFileName().toString(), s.dscSums().sha256()));
        s.sums().forEach((name, sums) -> files.add(new PoolFile(name, sums.sha256())));
        return files;
    }

    private static String contents(DebPackage deb) {
        StringBuilder sb = new StringBuilder();
        for (DataEntry e : deb.dataEntries()) {
            if (e.type() != DataEntry.Type.DIRECTORY) {
                sb.append(e.path()).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Reads the .debs in parallel, storing each in the pool right after reading it, and hands
     * them in order, in batches, to {@code consumer} on this thread as they complete.
     */
    private List<DebItem> readDebs(List<Path> paths, Consumer<List<DebItem>> consumer) {
        if (paths.isEmpty()) {
            return List.of();
        }
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, paths.size()));
        try {
            List<Future<DebItem>> futures = new ArrayList<>();
            for (Path p : paths) {
                futures.add(pool.submit(() -> {
                    DebPackage deb;
                    try {
                        deb = readDeb(p, ppa.unpackLimits());
                    } catch (ArchiveException e) {
                        refuse(p.toString(), e);
                        progress.update("reading", done.incrementAndGet(), paths.size());
                        return null;
                    }
                    DebItem item = new DebItem(p, deb);
                    ppa.blobs().put(p, item.checksums().sha256());
                    progress.update("reading", done.incrementAndGet(), paths.size());
                    return item;
                }));
            }
            List<DebItem> items = new ArrayList<>();
            List<DebItem> batch = new ArrayList<>();
            for (Future<DebItem> f : futures) {
                try {
                    DebItem item = f.get();
                    if (item == null) {
                        continue; // skipped
                    }
                    items.add(item);
                    batch.add(item);
                    if (batch.size() == 256) {
                        consumer.accept(batch);
                        batch = new ArrayList<>();
                    }
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof IOException io) {
                        throw new UncheckedIOException(io);
                    }
                    throw new IllegalStateException(cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException(new IOException("interrupted", e));
                }
            }
            consumer.accept(batch);
            return items;
        } finally {
            pool.shutdownNow();
        }
    }

    private static DebPackage readDeb(Path p, UnpackLimits limits) {
        try {
            DebPackage deb = DebReader.read(p, limits);
            RelationFields.checkBinary(deb.control(), p.getFileName().toString());
            return deb;
        } catch (NoSuchFileException e) {
            throw ArchiveException.invalid(p + ": no such file");
        } catch (FormatException e) {
            throw new ArchiveException(ArchiveException.Kind.INVALID, e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    private static String readText(Path p) {
        try {
            return ControlText.read(p);
        } catch (FormatException e) {
            throw new ArchiveException(
                    ArchiveException.Kind.TOO_LARGE,
                    p + ": " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2),
                    e);
        } catch (NoSuchFileException e) {
            throw ArchiveException.invalid(p + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    private static Checksums sums(Path p) {
        try {
            return Checksums.of(p);
        } catch (NoSuchFileException e) {
            throw ArchiveException.invalid(p + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    /** Reads a .dsc and verifies the files it lists, found beside it. */
    private static SourceItem readSource(Path dscPath, Map<String, Checksums> alreadyVerified) {
        Dsc dsc;
        try {
            dsc = Dsc.parse(readText(dscPath), dscPath.toString());
            RelationFields.checkSource(dsc.stanza(), dscPath.getFileName().toString());
            for (String b : dsc.binaries()) {
                if (!Names.is(Names.PACKAGE, b)) {
                    throw new FormatException(
                            dscPath.getFileName() + ": field Binary: invalid package name '" + b + "'");
                }
            }
        } catch (FormatException e) {
            throw new ArchiveException(ArchiveException.Kind.INVALID, e.getMessage(), e);
        }
        Map<String, Path> paths = new LinkedHashMap<>();
        Map<String, Checksums> sums = new LinkedHashMap<>();
        for (ListedFile f : dsc.files()) {
            Path p = dscPath.resolveSibling(f.name());
            Checksums c = alreadyVerified != null && alreadyVerified.containsKey(f.name())
                    ? alreadyVerified.get(f.name())
                    : sums(p);
            String problem = f.mismatch(c);
            if (problem != null) {
                throw ArchiveException.invalid(p + ": " + problem + " (listed in " + dscPath.getFileName() + ")");
            }
            paths.put(f.name(), p);
            sums.put(f.name(), c);
        }
        return new SourceItem(dsc, sums(dscPath), dscPath, paths, sums);
    }

    /** Reads a .changes, verifies every file it lists, and queues its .dsc and .debs. */
    private static void readChanges(Path changesPath, List<SourceItem> sources, List<Path> debPaths) {
        Changes changes;
        try {
            changes = Changes.parse(readText(changesPath), changesPath.toString());
        } catch (FormatException e) {
            throw new ArchiveException(ArchiveException.Kind.INVALID, e.getMessage(), e);
        }
        Map<String, Checksums> verified = new HashMap<>();
        for (ListedFile f : changes.files()) {
            Path p = changesPath.resolveSibling(f.name());
            Checksums c = sums(p);
            String problem = f.mismatch(c);
            if (problem != null) {
                throw ArchiveException.invalid(p + ": " + problem + " (listed in " + changesPath.getFileName() + ")");
            }
            verified.put(f.name(), c);
        }
        for (ListedFile f : changes.files()) {
            Path p = changesPath.resolveSibling(f.name());
            if (f.name().endsWith(".dsc")) {
                sources.add(readSource(p, verified));
            } else if (f.name().endsWith(".deb")) {
                debPaths.add(p);
            }
        }
    }
}
