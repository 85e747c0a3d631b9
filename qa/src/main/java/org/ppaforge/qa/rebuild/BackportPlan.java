package org.ppaforge.qa.rebuild;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.deb.DebPackage;
import org.ppaforge.debian.relation.PackageSet;
import org.ppaforge.debian.relation.Relation;

/**
 * Which sources a backport takes along and in which order they build: each build-dependency of the source (for the
 * target's architectures) that what the target's builds see does not satisfy is looked up among the origin's binaries;
 * the source of the one that satisfies it is backported too (with {@code withBuildDeps}), and what that binary needs to
 * install is checked the same way, recursively. With {@code withDepends}, what the source's own binaries need to
 * install is checked too. What nothing satisfies is listed with the relation that fails; a cycle is reported, never
 * followed round.
 */
public final class BackportPlan {
    /** A source of the plan: why it is there, and the sources whose binaries its build needs first. */
    public record Step(String source, String version, String backportVersion, String why, List<String> after) {}

    /** A relation nothing satisfies: who needs it ({@code macutils (to build)}), in which field. */
    public record Unsatisfied(String who, String field, String relation) {
        @Override
        public String toString() {
            return who + " " + field + ": " + relation;
        }
    }

    /** The plan: its steps in build order, what fails, and the cycles found. */
    public record Result(List<Step> steps, List<Unsatisfied> unsatisfied, List<String> cycles) {}

    private final Map<String, Stanza> originSources;
    private final PackageSet originBinaries;
    private final Map<String, List<Stanza>> binariesOf = new HashMap<>();
    private final PackageSet target;
    private final List<String> archs;
    private final boolean withBuildDeps;
    private final boolean withDepends;
    private final Function<Stanza, Version> backportVersion;

    private final Map<String, Node> planned = new LinkedHashMap<>();
    private final PackageSet plannedBinaries = new PackageSet();
    private final Map<String, String> plannedBinaryNames = new HashMap<>();
    private final List<Unsatisfied> unsatisfied = new ArrayList<>();
    private final Deque<Runnable> work = new ArrayDeque<>();

    private static final class Node {
        final Stanza source;
        final Version backport;
        final String why;
        final Set<String> after = new LinkedHashSet<>();

        Node(Stanza source, Version backport, String why) {
            this.source = source;
            this.backport = backport;
            this.why = why;
        }
    }

    /**
     * @param originSources the origin's sources by name (the newest of each)
     * @param originBinaries the origin's binaries for the target's architectures
     * @param target what the target's builds see: the distribution, the archive and its dependency archives
     * @param backportVersion the version a source of the origin gets as a backport
     */
    BackportPlan(
            Map<String, Stanza> originSources,
            List<Stanza> originBinaries,
            PackageSet target,
            List<String> archs,
            boolean withBuildDeps,
            boolean withDepends,
            Function<Stanza, Version> backportVersion) {
        this.originSources = originSources;
        this.originBinaries = new PackageSet().addAll(originBinaries);
        for (Stanza b : originBinaries) {
            binariesOf
                    .computeIfAbsent(DebPackage.sourceName(b), k -> new ArrayList<>())
                    .add(b);
        }
        this.target = target;
        this.archs = archs;
        this.withBuildDeps = withBuildDeps;
        this.withDepends = withDepends;
        this.backportVersion = backportVersion;
    }

    Result plan(String root) {
        add(root, "asked for");
        while (!work.isEmpty()) {
            work.pop().run();
        }
        List<String> cycles = new ArrayList<>();
        List<String> order = new ArrayList<>();
        Map<String, Integer> state = new HashMap<>();
        for (String s : planned.keySet()) {
            visit(s, state, order, new ArrayList<>(), cycles);
        }
        List<Step> steps = new ArrayList<>();
        for (String s : order) {
            Node n = planned.get(s);
            steps.add(new Step(s, n.source.get("Version"), n.backport.toString(), n.why, List.copyOf(n.after)));
        }
        return new Result(steps, List.copyOf(unsatisfied), cycles);
    }

    /** Depth-first, dependencies first; a source met again while its own dependencies are visited closes a cycle. */
    private void visit(
            String s, Map<String, Integer> state, List<String> order, List<String> path, List<String> cycles) {
        Integer st = state.get(s);
        if (st != null) {
            if (st == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(s), path.size()));
                cycle.add(s);
                cycles.add(String.join(" -> ", cycle));
            }
            return;
        }
        state.put(s, 1);
        path.add(s);
        for (String d : planned.get(s).after) {
            visit(d, state, order, path, cycles);
        }
        path.remove(path.size() - 1);
        state.put(s, 2);
        order.add(s);
    }

    private void add(String source, String why) {
        Stanza s = originSources.get(source);
        Node n = new Node(s, backportVersion.apply(s), why);
        planned.put(source, n);
        for (Stanza b : binariesOf.getOrDefault(source, List.of())) {
            plannedBinaries.add(b);
            plannedBinaryNames.put(b.get("Package"), source);
        }
        work.add(() -> checkBuild(source));
        if (withDepends && why.equals("asked for")) {
            for (Stanza b : binariesOf.getOrDefault(source, List.of())) {
                work.add(() -> checkInstall(b, null, withDepends));
            }
        }
    }

    private void checkBuild(String source) {
        Stanza s = originSources.get(source);
        for (String field : List.of("Build-Depends", "Build-Depends-Arch", "Build-Depends-Indep")) {
            for (List<Relation> group : PackageSet.groups(s, field)) {
                List<Relation> here = group.stream()
                        .filter(r -> PackageSet.appliesTo(r, archs) && inPlainBuild(r))
                        .toList();
                if (!here.isEmpty()) {
                    need(source + " (to build)", source, field, here, source, withBuildDeps);
                }
            }
        }
    }

    /**
     * Whether a relation applies to a build with no build profile active: it has no restriction, or one of its
     * restriction lists names only profiles that must not be active ({@code <!nocheck>}).
     */
    private static boolean inPlainBuild(Relation r) {
        return r.profiles().isEmpty()
                || r.profiles().stream().anyMatch(terms -> terms.stream().allMatch(t -> t.startsWith("!")));
    }

    /** What a binary needs to install; {@code forBuild}: the source whose build installs it (and so waits). */
    private void checkInstall(Stanza binary, String forBuild, boolean follow) {
        String who = binary.get("Package");
        for (String field : List.of("Pre-Depends", "Depends")) {
            for (List<Relation> group : PackageSet.groups(binary, field)) {
                need(who, DebPackage.sourceName(binary), field, group, forBuild, follow);
            }
        }
    }

    /**
     * A relation group {@code who} (a binary, or a source's build, of the source {@code whoSource}) needs: satisfied by
     * the target, by a binary of the plan, or (when {@code follow}) by the origin's binary whose source joins the plan;
     * else listed as unsatisfied. {@code waits}: the source whose build needs it, and so builds after its provider.
     */
    private void need(String who, String whoSource, String field, List<Relation> group, String waits, boolean follow) {
        if (target.satisfies(group)) {
            return;
        }
        for (Relation r : group) {
            Stanza p = plannedBinaries.provider(r);
            if (p != null) {
                providedBy(plannedBinaryNames.get(p.get("Package")), p, r, who, whoSource, field, group, waits);
                return;
            }
        }
        if (follow) {
            for (Relation r : group) {
                Stanza p = originBinaries.provider(r);
                if (p != null && originSources.containsKey(DebPackage.sourceName(p))) {
                    String from = DebPackage.sourceName(p);
                    add(from, who + " " + field + ": " + PackageSet.text(group));
                    providedBy(from, p, r, who, whoSource, field, group, waits);
                    work.add(() -> checkInstall(p, waits, true));
                    return;
                }
            }
        }
        unsatisfied.add(new Unsatisfied(who, field, PackageSet.text(group)));
    }

    /** The plan's source {@code from} provides {@code r} with its binary {@code p}: its version checked, the order kept. */
    private void providedBy(
            String from,
            Stanza p,
            Relation r,
            String who,
            String whoSource,
            String field,
            List<Relation> group,
            String waits) {
        checkBackportVersion(who, whoSource, field, group, r, p, from);
        if (waits != null && !waits.equals(from)) {
            planned.get(waits).after.add(from);
        }
    }

    /**
     * A backport's binaries carry the backport's version, which sorts below the origin's: a versioned relation from
     * another source that the origin's version meets may fail at the backport's ({@code debhelper (>= 13.11.4)} against
     * {@code 13.11.4~bpo11+1}). A binary's relation to its own source's binaries is rewritten at build time.
     */
    private void checkBackportVersion(
            String who, String whoSource, String field, List<Relation> group, Relation r, Stanza p, String from) {
        if (r.operator() == null || !r.name().equals(p.get("Package")) || whoSource.equals(from)) {
            return;
        }
        Version binary = planned.get(from).backport; // a rebuild: every binary gets the source's version
        if (!r.satisfiedBy(binary)) {
            unsatisfied.add(new Unsatisfied(
                    who,
                    field,
                    PackageSet.text(group) + " (the backport of " + from + " is " + binary + ", which does not)"));
        }
    }
}
