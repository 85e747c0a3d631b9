package org.ppaforge.archive.verb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.Progress;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.store.StoreTx;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.debian.deb.DebPackage;

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
    final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    String archive;
    String series;
    String component;
    List<Path> files = List.of();
    boolean allowDowngrade;
    Progress progress = Progress.NONE;
    // One more reader than cores: readers block in open/link system calls part of the time.
    int threads = Runtime.getRuntime().availableProcessors() + 1;

    public Include(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public Include caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    /**
     * Refuses unless the caller may include into the archive: checked by {@link #call}, and by the API before it takes
     * a request's files, so a stranger's upload is refused before its body is read.
     */
    public Include checkAccess() {
        caller.write(ppa, archive);
        return this;
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

    boolean skipRefused;
    String origin = "include";
    String by;

    /**
     * Who the history records as having published (default: the local operator's system user, or "token 'NAME'" for
     * a caller with a token; an upload names its signer and token).
     */
    public Include by(String who) {
        this.by = who == null || who.isBlank() ? null : who;
        return this;
    }

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

    Consumer<StoreTx> alsoInTransaction = tx -> {};

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

    final List<String> skipped = Collections.synchronizedList(new ArrayList<>());

    /** Skips (bulk mode) or throws a refusal: {@code what} names the file. */
    void refuse(String what, ArchiveException e) {
        if (!skipRefused || e.kind() == ArchiveException.Kind.IO || e.kind() == ArchiveException.Kind.NOT_FOUND) {
            throw e;
        }
        skipped.add(what + ": " + e.getMessage());
    }

    /** How {@code version} of {@code source} orders against what {@code where} publishes; refused when older. */
    int againstPublished(String source, Version version, SourcePublication current, String where) {
        int cmp = current == null ? 1 : version.compareTo(current.version());
        if (cmp < 0 && !allowDowngrade) {
            throw new OlderVersion(source, version, current.version(), where);
        }
        return cmp;
    }

    public Result call() throws IOException {
        checkAccess();
        if (by == null) {
            by = caller.who(ppa);
        }
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
        List<IncludeFiles.SourceItem> sources = new ArrayList<>();
        List<Path> debPaths = new ArrayList<>();
        for (Path f : IncludeFiles.expand(files)) {
            String n = f.getFileName().toString();
            if (n.endsWith(".deb")) {
                debPaths.add(f);
            } else if (n.endsWith(".dsc")) {
                sources.add(IncludeFiles.readSource(f, null));
            } else if (n.endsWith(".changes")) {
                IncludeFiles.readChanges(f, sources, debPaths);
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
            for (Iterator<IncludeFiles.SourceItem> it = sources.iterator(); it.hasNext(); ) {
                IncludeFiles.SourceItem x = it.next();
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
        for (IncludeFiles.SourceItem s : sources) {
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
                List<IncludeFiles.DebItem> debs =
                        readDebs(debPaths, batch -> IncludeRecord.recordBinaries(tx, batch, knownBinaries));
                t2[0] = System.nanoTime();
                Map<String, IncludeRecord.Group> groups = new LinkedHashMap<>();
                for (IncludeFiles.SourceItem s : sources) {
                    IncludeRecord.Group g = groups.computeIfAbsent(
                            s.dsc().source() + "\0" + s.dsc().version(),
                            k -> new IncludeRecord.Group(
                                    s.dsc().source(), s.dsc().version()));
                    if (g.source != null
                            && !g.source.dscSums().sha256().equals(s.dscSums().sha256())) {
                        throw ArchiveException.refused("two different .dsc files for " + g.name + " " + g.version
                                + " in one include: " + g.source.dscPath() + " and " + s.dscPath());
                    }
                    g.source = s;
                }
                for (IncludeFiles.DebItem d : debs) {
                    Version sv = d.sourceVersion();
                    groups.computeIfAbsent(d.sourceName() + "\0" + sv, k -> new IncludeRecord.Group(d.sourceName(), sv))
                            .debs
                            .add(d);
                }
                List<IncludeRecord.Group> ordered = new ArrayList<>(groups.values());
                ordered.sort(
                        Comparator.comparing((IncludeRecord.Group g) -> g.name).thenComparing(g -> g.version));
                progress.update("recording", 0, ordered.size());
                Result recorded = new IncludeRecord(this)
                        .record(tx, targetSeries, targetComponent, ordered, blobs.values(), knownBinaries);
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

    /**
     * Reads the .debs in parallel, storing each in the pool right after reading it, and hands
     * them in order, in batches, to {@code consumer} on this thread as they complete.
     */
    private List<IncludeFiles.DebItem> readDebs(List<Path> paths, Consumer<List<IncludeFiles.DebItem>> consumer) {
        if (paths.isEmpty()) {
            return List.of();
        }
        AtomicLong done = new AtomicLong();
        // A remote pool (S3) is waited for, not computed: then more at once.
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.min(Math.max(threads, ppa.blobs().writeParallelism()), paths.size()));
        try {
            List<Future<IncludeFiles.DebItem>> futures = new ArrayList<>();
            for (Path p : paths) {
                futures.add(pool.submit(() -> {
                    DebPackage deb;
                    try {
                        deb = IncludeFiles.readDeb(p, ppa.unpackLimits());
                    } catch (ArchiveException e) {
                        refuse(p.toString(), e);
                        progress.update("reading", done.incrementAndGet(), paths.size());
                        return null;
                    }
                    IncludeFiles.DebItem item = new IncludeFiles.DebItem(p, deb);
                    ppa.blobs().put(p, item.checksums().sha256());
                    progress.update("reading", done.incrementAndGet(), paths.size());
                    return item;
                }));
            }
            List<IncludeFiles.DebItem> items = new ArrayList<>();
            List<IncludeFiles.DebItem> batch = new ArrayList<>();
            for (Future<IncludeFiles.DebItem> f : futures) {
                try {
                    IncludeFiles.DebItem item = f.get();
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
}
