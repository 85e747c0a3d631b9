package org.ppaforge.archive.verb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.store.StoreTx;

/**
 * Makes one archive publish exactly what another publishes, series by series: copies what
 * is new or newer (with binaries), replaces binaries that differ, deletes what the source
 * archive no longer has. The plan is computed and applied in one transaction; downgrades
 * are refused unless allowed, and a different source with the same version stops the sync.
 */
public final class Sync {
    public enum Action {
        COPY,
        UPGRADE,
        DOWNGRADE,
        BINARIES,
        DELETE
    }

    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String who; // the caller as the history names it, resolved before the transaction
    private String from;
    private String to;
    private String series;
    private boolean dryRun;
    private boolean allowDowngrade;
    private Consumer<List<Step>> planListener = plan -> {};

    public Sync(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public Sync caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public Sync from(String archive) {
        this.from = archive;
        return this;
    }

    public Sync to(String archive) {
        this.to = archive;
        return this;
    }

    /** Only this series (default: every series both archives have). */
    public Sync series(String series) {
        this.series = series;
        return this;
    }

    public Sync dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    public Sync allowDowngrade(boolean allow) {
        this.allowDowngrade = allow;
        return this;
    }

    /**
     * Receives each series' plan before it is applied (or refused), inside the transaction:
     * front ends print it first without planning twice.
     */
    public Sync onPlan(Consumer<List<Step>> listener) {
        this.planListener = listener;
        return this;
    }

    public record Step(String series, String source, String fromVersion, String toVersion, Action action) {}

    /**
     * @param unsatisfied with {@link #withDependencies}: what the target's binaries (after the sync; for a dry run, the
     *     origin's) need and neither the target nor the archives counted as there satisfy
     */
    public record Result(String from, String to, List<Step> plan, boolean applied, List<Skew.Unsatisfied> unsatisfied) {
        public Result {
            unsatisfied = unsatisfied == null ? List.of() : List.copyOf(unsatisfied);
        }
    }

    private boolean withDependencies;
    private List<String> satisfiedBy = List.of();

    /**
     * A sync takes every source of the origin, so whatever the origin has of what they need comes along; this also
     * checks what is left: the binaries whose Depends or Pre-Depends the target (and the archives {@link #satisfiedBy}
     * names) cannot satisfy, as {@code ppa skew --dependencies} reports them.
     */
    public Sync withDependencies(boolean yes) {
        this.withDependencies = yes;
        return this;
    }

    /** Archives whose packages count as there for {@link #withDependencies} (the target's dependency archives). */
    public Sync satisfiedBy(List<String> archives) {
        this.satisfiedBy = archives == null ? List.of() : List.copyOf(archives);
        return this;
    }

    public Result call() {
        if (!dryRun) {
            caller.write(ppa, to);
        }
        caller.read(ppa, from);
        caller.read(ppa, to);
        who = dryRun ? caller.toString() : caller.who(ppa); // a dry run records nothing, and readers may ask for one
        if (dryRun) {
            return ppa.metadata().read(tx -> run(tx, false));
        }
        Result result = ppa.metadata().write(tx -> run(tx, true));
        if (!result.plan().isEmpty()) {
            ppa.changed(result.to());
        }
        return result;
    }

    private Result run(StoreTx tx, boolean apply) {
        Archive a = Lookup.archive(tx, from);
        Archive b = Lookup.archive(tx, to);
        if (a.id() == b.id()) {
            throw ArchiveException.invalid("cannot sync archive '" + a.name() + "' into itself");
        }
        List<String> seriesList = new ArrayList<>();
        if (series != null) {
            Lookup.series(a, series);
            Lookup.series(b, series);
            seriesList.add(series);
        } else {
            a.series().stream().filter(b::hasSeries).forEach(seriesList::add);
            if (seriesList.isEmpty()) {
                throw ArchiveException.invalid(
                        "archives '" + a.name() + "' and '" + b.name() + "' have no series in common");
            }
        }
        Instant now = ppa.clock().instant();
        List<Step> plan = new ArrayList<>();
        for (String s : seriesList) {
            Map<String, SourcePublication> source = new TreeMap<>();
            tx.sources(a.id(), s, true).forEach(p -> source.put(p.name(), p));
            Map<String, SourcePublication> target = new TreeMap<>();
            tx.sources(b.id(), s, true).forEach(p -> target.put(p.name(), p));
            Copier copier = new Copier(tx, b, s, who, now);
            copier.preloadSourceBinaries(a, s);
            List<Step> steps = new ArrayList<>();
            List<String> conflicts = new ArrayList<>();
            for (SourcePublication p : source.values()) {
                SourcePublication t = target.get(p.name());
                String fv = p.version().toString();
                if (t == null) {
                    steps.add(new Step(s, p.name(), fv, null, Action.COPY));
                    continue;
                }
                int cmp = p.version().compareTo(t.version());
                if (cmp > 0) {
                    steps.add(new Step(s, p.name(), fv, t.version().toString(), Action.UPGRADE));
                } else if (cmp < 0) {
                    steps.add(new Step(s, p.name(), fv, t.version().toString(), Action.DOWNGRADE));
                } else if (p.sourceId() != t.sourceId()) {
                    conflicts.add(p.name() + " " + fv);
                } else if (!sameBinaries(copier.binariesOf(p), copier.binariesOf(t), b)) {
                    steps.add(new Step(s, p.name(), fv, t.version().toString(), Action.BINARIES));
                }
            }
            for (SourcePublication t : target.values()) {
                if (!source.containsKey(t.name())) {
                    steps.add(new Step(s, t.name(), null, t.version().toString(), Action.DELETE));
                }
            }
            planListener.accept(List.copyOf(steps));
            if (!conflicts.isEmpty()) {
                throw ArchiveException.refused("cannot sync " + a.name() + " into " + b.name() + "/" + s
                        + ": different sources " + "with the same version in both: " + String.join(", ", conflicts));
            }
            List<String> downgrades = steps.stream()
                    .filter(x -> x.action() == Action.DOWNGRADE)
                    .map(x -> x.source() + " " + x.toVersion() + " -> " + x.fromVersion())
                    .toList();
            if (!downgrades.isEmpty() && !allowDowngrade && apply) {
                throw ArchiveException.refused("sync of " + a.name() + " into " + b.name() + "/" + s
                        + " would downgrade "
                        + downgrades.size() + " package(s) ("
                        + String.join(", ", downgrades.subList(0, Math.min(5, downgrades.size())))
                        + (downgrades.size() > 5 ? ", ..." : "") + "): allow downgrades to go ahead");
            }
            if (apply) {
                String origin = "sync from " + a.name() + "/" + s;
                for (Step step : steps) {
                    switch (step.action()) {
                        case COPY, UPGRADE, DOWNGRADE -> copier.copy(source.get(step.source()), origin, true, true);
                        case BINARIES ->
                            copier.replaceBinaries(
                                    target.get(step.source()), copier.binariesOf(source.get(step.source())));
                        case DELETE ->
                            tx.deleteSource(
                                    target.get(step.source()).id(),
                                    who,
                                    "sync from " + a.name() + ": no longer published there",
                                    now);
                    }
                }
                if (!steps.isEmpty()) {
                    copier.checkContents(ppa.maxContentsBytes());
                }
            }
            plan.addAll(steps);
        }
        List<Skew.Unsatisfied> unsatisfied = new ArrayList<>();
        if (withDependencies) {
            List<Archive> set = new ArrayList<>(List.of(apply ? b : a));
            for (String name : satisfiedBy) {
                caller.read(ppa, name);
                set.add(Lookup.archive(tx, name));
            }
            for (String s : seriesList) {
                unsatisfied.addAll(DependencyPlan.unsatisfied(tx, set, s));
            }
        }
        return new Result(a.name(), b.name(), plan, apply, unsatisfied);
    }

    private static boolean sameBinaries(List<BinaryPublication> wanted, List<BinaryPublication> have, Archive target) {
        Set<Long> w = new HashSet<>();
        wanted.stream().filter(x -> Lookup.buildsFor(target, x.architecture())).forEach(x -> w.add(x.binaryId()));
        Set<Long> h = new HashSet<>();
        have.forEach(x -> h.add(x.binaryId()));
        return w.equals(h);
    }
}
