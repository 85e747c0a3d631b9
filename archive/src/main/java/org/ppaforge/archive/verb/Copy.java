package org.ppaforge.archive.verb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.model.Status;
import org.ppaforge.archive.store.StoreTx;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;

/**
 * Copies sources (optionally with their binaries) from one archive series to another,
 * possibly another series. All the sources of one call are one transaction. Pool files
 * are shared: a copy moves no bytes. The rules are {@link Copier}'s.
 */
public final class Copy {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String who; // the caller as the history names it, resolved before the transaction
    private final List<String> sources = new ArrayList<>();
    private String from;
    private String to;
    private String series;
    private String toSeries;
    private boolean withBinaries;
    private boolean allowDowngrade;

    public Copy(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public Copy caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    /** {@code NAME} (the published version) or {@code NAME=VERSION} (any version in the source archive's history). */
    public Copy source(String spec) {
        sources.add(spec);
        return this;
    }

    public Copy sources(List<String> specs) {
        sources.addAll(specs);
        return this;
    }

    public Copy from(String archive) {
        this.from = archive;
        return this;
    }

    public Copy to(String archive) {
        this.to = archive;
        return this;
    }

    public Copy series(String series) {
        this.series = series;
        return this;
    }

    public Copy toSeries(String series) {
        this.toSeries = series;
        return this;
    }

    public Copy withBinaries(boolean withBinaries) {
        this.withBinaries = withBinaries;
        return this;
    }

    private String via;

    /** Who or what copies (a pipeline's run): added to the history's origin, "copy from A/S (VIA)". */
    public Copy via(String via) {
        this.via = via;
        return this;
    }

    public Copy allowDowngrade(boolean allow) {
        this.allowDowngrade = allow;
        return this;
    }

    private boolean withDependencies;
    private final List<String> satisfiedBy = new ArrayList<>();
    private boolean dryRun;

    /**
     * Takes along every source of the origin series whose binaries a copied binary depends on (Depends, Pre-Depends)
     * and that the target series does not satisfy at a high enough version, recursively; see {@link DependencyPlan}.
     */
    public Copy withDependencies(boolean yes) {
        this.withDependencies = yes;
        return this;
    }

    private boolean withBuildDependencies;

    /** With {@link #withDependencies}: also what each source needs to build (its Build-Depends*), recursively. */
    public Copy withBuildDependencies(boolean yes) {
        this.withBuildDependencies = yes;
        return this;
    }

    /** Archives whose packages (in the target series) count as satisfying dependencies too: the target's dependencies. */
    public Copy satisfiedBy(List<String> archives) {
        satisfiedBy.addAll(archives);
        return this;
    }

    /** Only says what would be copied (with the dependencies taken along and why), changing nothing. */
    public Copy dryRun(boolean yes) {
        this.dryRun = yes;
        return this;
    }

    public record Copied(String source, String version, String outcome, int binaries) {}

    /** A source taken along by {@link #withDependencies}: the relation of a copied binary that needed it. */
    public record Pulled(String source, String version, String reason) {}

    public record Result(
            String from, String fromSeries, String to, String toSeries, List<Copied> copied, List<Pulled> pulled) {}

    public Result call() {
        if (dryRun) {
            caller.read(ppa, to);
        } else {
            caller.write(ppa, to);
        }
        caller.read(ppa, from);
        for (String s : satisfiedBy) {
            caller.read(ppa, s);
        }
        who = dryRun ? caller.toString() : caller.who(ppa);
        if (sources.isEmpty()) {
            throw ArchiveException.invalid("no source package named: give SOURCE or SOURCE=VERSION");
        }
        if (dryRun) {
            return ppa.metadata().read(tx -> copy(tx, series, sources));
        }
        Result result = copy();
        if (!result.copied().isEmpty()) {
            ppa.changed(result.to());
        }
        return result;
    }

    /**
     * Copies in several series of the same two archives at once, each series its own sources (e.g. a pipeline's
     * {@code ~deb12} and {@code ~deb13} builds), in one transaction: every series is copied or none is. The series set
     * with {@link #series} is ignored; {@link #toSeries} must not be set.
     */
    public List<Result> callInEach(Map<String, List<String>> sourcesBySeries) {
        caller.write(ppa, to);
        caller.read(ppa, from);
        who = caller.who(ppa);
        if (sourcesBySeries.isEmpty() || sourcesBySeries.values().stream().anyMatch(List::isEmpty)) {
            throw ArchiveException.invalid("no source package named: give SOURCE or SOURCE=VERSION for each series");
        }
        if (toSeries != null) {
            throw ArchiveException.invalid("copies in several series keep each in its own series");
        }
        List<Result> results = ppa.metadata().write(tx -> {
            List<Result> out = new ArrayList<>();
            sourcesBySeries.forEach((s, specs) -> out.add(copy(tx, s, specs)));
            return out;
        });
        if (results.stream().anyMatch(r -> !r.copied().isEmpty())) {
            ppa.changed(to);
        }
        return results;
    }

    private Result copy() {
        return ppa.metadata().write(tx -> copy(tx, series, sources));
    }

    private Result copy(StoreTx tx, String series, List<String> sources) {
        Archive a = Lookup.archive(tx, from);
        Archive b = Lookup.archive(tx, to);
        String fromSeries = Lookup.series(a, series);
        String targetSeries = Lookup.series(
                b, toSeries != null ? toSeries : series != null ? series : b.hasSeries(fromSeries) ? fromSeries : null);
        if (a.id() == b.id() && fromSeries.equals(targetSeries)) {
            throw ArchiveException.invalid("source and target are the same (" + a.name() + "/" + fromSeries + ")");
        }
        String origin = "copy from " + a.name() + "/" + fromSeries + (via == null ? "" : " (" + via + ")");
        Map<String, List<SourcePublication>> byName = new HashMap<>();
        for (SourcePublication p : tx.sources(a.id(), fromSeries, false)) {
            byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
        }
        List<SourcePublication> requested = new ArrayList<>();
        for (String spec : sources) {
            int eq = spec.indexOf('=');
            requested.add(find(
                    byName.getOrDefault(eq < 0 ? spec : spec.substring(0, eq), List.of()),
                    spec,
                    a.name() + "/" + fromSeries));
        }
        List<Pulled> pulled = new ArrayList<>();
        List<SourcePublication> all = new ArrayList<>();
        if (withDependencies) {
            List<Archive> targets = new ArrayList<>(List.of(b));
            for (String s : satisfiedBy) {
                targets.add(Lookup.archive(tx, s));
            }
            for (DependencyPlan.Pulled p :
                    DependencyPlan.of(tx, a, fromSeries, requested, targets, targetSeries, withBuildDependencies)) {
                pulled.add(new Pulled(p.source().name(), p.source().version().toString(), p.reason()));
                all.add(p.source()); // dependencies first
            }
        }
        all.addAll(requested);
        List<Copied> copied = new ArrayList<>();
        if (dryRun) { // the plan only: nothing is read for copying, nothing written
            all.forEach(src -> copied.add(new Copied(src.name(), src.version().toString(), "planned", 0)));
            return new Result(a.name(), fromSeries, b.name(), targetSeries, copied, pulled);
        }
        Copier copier = new Copier(tx, b, targetSeries, who, ppa.clock().instant());
        copier.preloadSourceBinaries(a, fromSeries);
        for (SourcePublication src : all) {
            collected(tx, src, withBinaries ? copier.binariesOf(src) : List.of());
            Copier.Outcome outcome = copier.copy(src, origin, withBinaries, allowDowngrade);
            int binaries = withBinaries
                    ? (int) copier.binariesOf(src).stream()
                            .filter(x -> Lookup.buildsFor(b, x.architecture()))
                            .count()
                    : 0;
            copied.add(new Copied(
                    src.name(), src.version().toString(), outcome.name().toLowerCase(), binaries));
        }
        if (withBinaries) {
            copier.checkContents(ppa.maxContentsBytes());
        }
        return new Result(a.name(), fromSeries, b.name(), targetSeries, copied, pulled);
    }

    /**
     * Refuses a source whose files {@code ppa gc} deleted (superseded longer than its archive kept them): the copy would
     * publish files the pool no longer has.
     */
    private void collected(StoreTx tx, SourcePublication src, List<BinaryPublication> binaries) {
        if (src.status() == Status.PUBLISHED) {
            return; // a published source's files are never collected (and a bulk copy stays one query per batch)
        }
        List<String> files = new ArrayList<>();
        var detail = tx.sourceDetails(List.of(src.sourceId())).get(src.sourceId());
        if (detail != null) {
            detail.files().forEach(f -> files.add(f.sha256()));
        }
        binaries.forEach(b -> files.add(b.sha256()));
        for (String sha : files) {
            if (!ppa.blobs().contains(sha)) {
                throw ArchiveException.refused(src.name() + " " + src.version() + "'s files were collected (it was "
                        + "superseded longer than its archive keeps old files): upload it again to copy it");
            }
        }
    }

    /** The publication a spec names: the published one, or the newest non-deleted one of that version. */
    static SourcePublication find(List<SourcePublication> all, String spec, String where) {
        int eq = spec.indexOf('=');
        String name = eq < 0 ? spec : spec.substring(0, eq);
        Version version;
        try {
            version = eq < 0 ? null : Version.parse(spec.substring(eq + 1));
        } catch (FormatException e) {
            throw ArchiveException.invalid(spec + ": " + e.getMessage());
        }
        SourcePublication published = null;
        SourcePublication match = null;
        for (SourcePublication p : all) {
            if (!p.name().equals(name)) {
                continue;
            }
            if (p.status() == Status.PUBLISHED) {
                published = p;
            }
            if (version != null && p.version().equals(version) && p.status() != Status.DELETED) {
                if (match == null || p.status() == Status.PUBLISHED || p.id() > match.id()) {
                    match = p;
                }
            }
        }
        if (version == null) {
            if (published == null) {
                throw ArchiveException.notFound("source '" + name + "' is not published in " + where);
            }
            return published;
        }
        if (match == null) {
            throw ArchiveException.notFound(name + " " + version + " is not in " + where
                    + (published == null ? "" : " (published there: " + published.version() + ")"));
        }
        return match;
    }
}
