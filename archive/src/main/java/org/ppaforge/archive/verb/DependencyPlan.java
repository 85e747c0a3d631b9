package org.ppaforge.archive.verb;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.store.StoreTx;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.relation.PackageSet;
import org.ppaforge.debian.relation.Relation;

/**
 * What a copy must take along so that what it copies can be installed in the target: every source of the origin
 * series whose binaries satisfy a Depends or Pre-Depends of a copied binary that the target series (and the archives
 * named as also satisfying it, e.g. its dependency archives) does not satisfy at a high enough version; then what
 * those need, and so on. A relation nothing in the origin satisfies either is left alone (the distribution is
 * expected to satisfy it). Each added source names the relation that pulled it in; cycles end, since a source is
 * added once.
 */
final class DependencyPlan {
    /** A source taken along, and why: "BINARY Depends: RELATION". */
    record Pulled(SourcePublication source, String reason) {}

    private final StoreTx tx;
    /** What satisfies a package name where the copy lands: the versions of real packages and of Provides. */
    private final Map<String, List<Version>> present = new HashMap<>();
    /** Names provided without a version: they satisfy only unversioned relations. */
    private final Set<String> providedUnversioned = new HashSet<>();

    private DependencyPlan(StoreTx tx) {
        this.tx = tx;
    }

    /**
     * The sources to take along, dependencies before what needs them; with {@code buildDeps}, for what each source
     * needs to build (its .dsc's Build-Depends*) too.
     *
     * @param requested the source publications the caller copies (from {@code origin}/{@code originSeries})
     */
    static List<Pulled> of(
            StoreTx tx,
            Archive origin,
            String originSeries,
            List<SourcePublication> requested,
            List<Archive> targets,
            String targetSeries,
            boolean buildDeps) {
        DependencyPlan plan = new DependencyPlan(tx);
        for (Archive t : targets) {
            if (t.hasSeries(targetSeries)) {
                plan.add(tx.publishedBinaries(t.id(), targetSeries));
            }
        }
        // The origin's binaries, by name and by what they provide, each with its source publication.
        List<BinaryPublication> originBinaries = tx.publishedBinaries(origin.id(), originSeries);
        Map<Long, Stanza> controls = controls(tx, originBinaries);
        Map<String, List<BinaryPublication>> byName = new HashMap<>();
        Map<String, List<BinaryPublication>> byProvides = new HashMap<>();
        Map<Long, List<BinaryPublication>> bySource = new HashMap<>();
        for (BinaryPublication b : originBinaries) {
            byName.computeIfAbsent(b.name(), k -> new ArrayList<>()).add(b);
            bySource.computeIfAbsent(b.sourcePublicationId(), k -> new ArrayList<>())
                    .add(b);
            for (Relation p : relations(controls.get(b.binaryId()), "Provides")) {
                byProvides.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(b);
            }
        }
        Map<Long, SourcePublication> sources = new HashMap<>();
        for (SourcePublication s : tx.sources(origin.id(), originSeries, true)) {
            sources.put(s.id(), s);
        }
        Set<Long> taken = new HashSet<>();
        Deque<SourcePublication> queue = new ArrayDeque<>();
        for (SourcePublication s : requested) {
            taken.add(s.id());
            queue.add(s);
            plan.add(bySource.getOrDefault(s.id(), List.of()), controls);
        }
        LinkedHashMap<Long, Pulled> pulled = new LinkedHashMap<>();
        List<String> archs = targets.get(0).architectures();
        while (!queue.isEmpty()) {
            SourcePublication s = queue.poll();
            for (Need need : needs(tx, s, bySource.getOrDefault(s.id(), List.of()), controls, buildDeps, archs)) {
                List<Relation> group = need.group();
                if (group.stream().anyMatch(plan::satisfied)) {
                    continue;
                }
                BinaryPublication provider = null;
                for (Relation r : group) {
                    provider = providerIn(r, byName, byProvides, controls);
                    if (provider != null) {
                        break;
                    }
                }
                SourcePublication needed = provider == null ? null : sources.get(provider.sourcePublicationId());
                if (needed == null || !taken.add(needed.id())) {
                    continue; // nothing here satisfies it (the distribution must), or it is already taken
                }
                pulled.put(
                        needed.id(),
                        new Pulled(needed, need.who() + " " + need.field() + ": " + PackageSet.text(group)));
                plan.add(bySource.getOrDefault(needed.id(), List.of()), controls);
                queue.add(needed);
            }
        }
        // Dependencies before what needs them: the reverse of discovery puts the deepest first.
        List<Pulled> out = new ArrayList<>(pulled.values());
        java.util.Collections.reverse(out);
        return out;
    }

    /**
     * The binaries of a set of archives (one series) whose Depends or Pre-Depends the set cannot satisfy although it
     * publishes the package named (at another version): the binary would run against another version of a
     * dependency than the one it was built and tested with. Relations on packages the set does not publish at all
     * are the distribution's and are not reported.
     */
    static List<Skew.Unsatisfied> unsatisfied(StoreTx tx, List<Archive> set, String series) {
        DependencyPlan plan = new DependencyPlan(tx);
        Map<Archive, List<BinaryPublication>> byArchive = new LinkedHashMap<>();
        Map<Long, Stanza> controls = new HashMap<>();
        for (Archive a : set) {
            if (!a.hasSeries(series)) {
                continue;
            }
            List<BinaryPublication> bs = tx.publishedBinaries(a.id(), series);
            byArchive.put(a, bs);
            controls.putAll(controls(tx, bs));
            plan.add(bs, controls);
        }
        List<Skew.Unsatisfied> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        byArchive.forEach((a, bs) -> {
            for (BinaryPublication b : bs) {
                if (!seen.add(a.name() + " " + b.name() + " " + b.version() + " " + b.architecture())) {
                    continue;
                }
                for (String field : List.of("Pre-Depends", "Depends")) {
                    for (List<Relation> group : PackageSet.groups(controls.get(b.binaryId()), field)) {
                        boolean named = group.stream()
                                .anyMatch(r -> plan.present.containsKey(r.name())
                                        || plan.providedUnversioned.contains(r.name()));
                        if (!named || group.stream().anyMatch(plan::satisfied)) {
                            continue;
                        }
                        List<String> has = new ArrayList<>();
                        for (Relation r : group) {
                            plan.present.getOrDefault(r.name(), List.of()).stream()
                                    .map(v -> r.name() + " " + v)
                                    .distinct()
                                    .forEach(has::add);
                        }
                        out.add(new Skew.Unsatisfied(
                                a.name(),
                                series,
                                b.name(),
                                b.version().toString(),
                                field,
                                PackageSet.text(group),
                                String.join(", ", has)));
                    }
                }
            }
        });
        return out;
    }

    /** One relation group something needs: a binary's Depends, or a source's Build-Depends. */
    private record Need(String who, String field, List<Relation> group) {}

    /** What a source's binaries need to install, and with {@code buildDeps} what the source needs to build. */
    private static List<Need> needs(
            StoreTx tx,
            SourcePublication s,
            List<BinaryPublication> binaries,
            Map<Long, Stanza> controls,
            boolean buildDeps,
            List<String> archs) {
        List<Need> needs = new ArrayList<>();
        for (BinaryPublication b : binaries) {
            for (String field : List.of("Pre-Depends", "Depends")) {
                for (List<Relation> group : PackageSet.groups(controls.get(b.binaryId()), field)) {
                    needs.add(new Need(b.name(), field, group));
                }
            }
        }
        if (buildDeps && s.hasDsc()) {
            var detail = tx.sourceDetails(List.of(s.sourceId())).get(s.sourceId());
            for (String field : List.of("Build-Depends", "Build-Depends-Arch", "Build-Depends-Indep")) {
                for (List<Relation> group : PackageSet.groups(detail == null ? null : parse(detail.stanza()), field)) {
                    List<Relation> here = group.stream()
                            .filter(r -> PackageSet.appliesTo(r, archs))
                            .toList();
                    if (!here.isEmpty()) {
                        needs.add(new Need(s.name() + " (to build)", field, here));
                    }
                }
            }
        }
        return needs;
    }

    /** Counts binaries published in a target as there: their names and versions, and what they provide. */
    private void add(List<BinaryPublication> binaries) {
        add(binaries, controls(tx, binaries));
    }

    private void add(List<BinaryPublication> binaries, Map<Long, Stanza> controls) {
        for (BinaryPublication b : binaries) {
            present.computeIfAbsent(b.name(), k -> new ArrayList<>()).add(b.version());
            for (Relation p : relations(controls.get(b.binaryId()), "Provides")) {
                if (p.operator() == Relation.Operator.EQUAL) {
                    present.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(Version.parse(p.version()));
                } else {
                    providedUnversioned.add(p.name());
                }
            }
        }
    }

    private boolean satisfied(Relation r) {
        if (r.operator() == null && providedUnversioned.contains(r.name())) {
            return true;
        }
        return present.getOrDefault(r.name(), List.of()).stream().anyMatch(r::satisfiedBy);
    }

    private static BinaryPublication providerIn(
            Relation r,
            Map<String, List<BinaryPublication>> byName,
            Map<String, List<BinaryPublication>> byProvides,
            Map<Long, Stanza> controls) {
        for (BinaryPublication b : byName.getOrDefault(r.name(), List.of())) {
            if (r.satisfiedBy(b.version())) {
                return b;
            }
        }
        for (BinaryPublication b : byProvides.getOrDefault(r.name(), List.of())) {
            for (Relation p : relations(controls.get(b.binaryId()), "Provides")) {
                if (p.name().equals(r.name())
                        && (r.operator() == null
                                || p.operator() == Relation.Operator.EQUAL
                                        && r.satisfiedBy(Version.parse(p.version())))) {
                    return b;
                }
            }
        }
        return null;
    }

    /** The control stanzas of these binaries, each parsed once (an unreadable one counts as empty). */
    private static Map<Long, Stanza> controls(StoreTx tx, List<BinaryPublication> binaries) {
        Map<Long, Stanza> out = new HashMap<>();
        tx.binaryControls(binaries.stream()
                        .map(BinaryPublication::binaryId)
                        .distinct()
                        .toList())
                .forEach((id, text) -> out.put(id, parse(text)));
        return out;
    }

    private static Stanza parse(String control) {
        if (control == null || control.isBlank()) {
            return null;
        }
        try {
            return Deb822Reader.parseSingle(control, "control");
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static List<Relation> relations(Stanza control, String field) {
        return PackageSet.groups(control, field).stream().flatMap(List::stream).toList();
    }
}
