package org.ppaforge.debian.relation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.control.Stanza;

/**
 * Binary packages as apt sees them when it resolves a relation: each by name and version, and by what it provides
 * ({@code Provides: foo} satisfies an unversioned {@code foo}; {@code Provides: foo (= 1.2)} also a versioned one).
 * Holds Packages-style stanzas (Package, Version, Provides, Depends, Source ...).
 */
public final class PackageSet {
    private final Map<String, List<Stanza>> byName = new HashMap<>();
    private final Map<String, List<Stanza>> byProvides = new HashMap<>();

    /** Adds a binary package's stanza (one without Package or Version is ignored). */
    public PackageSet add(Stanza binary) {
        String name = binary.get("Package");
        if (name == null || binary.get("Version") == null) {
            return this;
        }
        byName.computeIfAbsent(name.strip(), k -> new ArrayList<>()).add(binary);
        for (List<Relation> group : groups(binary, "Provides")) {
            for (Relation p : group) {
                byProvides.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(binary);
            }
        }
        return this;
    }

    public PackageSet addAll(Iterable<Stanza> binaries) {
        binaries.forEach(this::add);
        return this;
    }

    /** The package that satisfies {@code r}: by its name first (the newest such), then by what it provides; or null. */
    public Stanza provider(Relation r) {
        Stanza best = null;
        for (Stanza s : byName.getOrDefault(r.name(), List.of())) {
            Version v = Version.parse(s.get("Version").strip());
            if (r.satisfiedBy(v)
                    && (best == null
                            || v.compareTo(Version.parse(best.get("Version").strip())) > 0)) {
                best = s;
            }
        }
        if (best != null) {
            return best;
        }
        for (Stanza s : byProvides.getOrDefault(r.name(), List.of())) {
            for (List<Relation> group : groups(s, "Provides")) {
                for (Relation p : group) {
                    if (p.name().equals(r.name())
                            && (r.operator() == null
                                    || p.operator() == Relation.Operator.EQUAL
                                            && r.satisfiedBy(Version.parse(p.version())))) {
                        return s;
                    }
                }
            }
        }
        return null;
    }

    /** Whether some alternative of the group is satisfied. */
    public boolean satisfies(List<Relation> group) {
        return group.stream().anyMatch(r -> provider(r) != null);
    }

    /** Whether any package of this name (at any version) or providing it is here. */
    public boolean names(String name) {
        return byName.containsKey(name) || byProvides.containsKey(name);
    }

    /** The stanzas of every package of this name. */
    public List<Stanza> named(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /** The groups of a relation field of a stanza; none when the field is absent or cannot be read. */
    public static List<List<Relation>> groups(Stanza control, String field) {
        String value = control == null ? null : control.find(field).orElse(null);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        try {
            return Relations.parse(value).groups();
        } catch (RuntimeException e) {
            return List.of(); // a relation that cannot be read is not followed
        }
    }

    /** Whether a build-dependency's architecture restriction ([amd64], [!i386]) lets it apply to these architectures. */
    public static boolean appliesTo(Relation r, List<String> archs) {
        if (r.architectures().isEmpty()) {
            return true;
        }
        boolean negated = r.architectures().get(0).startsWith("!");
        for (String arch : archs) {
            boolean listed = r.architectures().contains(negated ? "!" + arch : arch);
            if (negated != listed) {
                return true;
            }
        }
        return false;
    }

    /** A group as a control file spells it ({@code a (>= 1) | b}). */
    public static String text(List<Relation> group) {
        return String.join(" | ", group.stream().map(Relation::toString).toList());
    }
}
