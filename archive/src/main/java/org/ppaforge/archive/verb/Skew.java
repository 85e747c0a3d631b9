package org.ppaforge.archive.verb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.debian.Version;

/**
 * Finds version skew: sources published in two or more of the given archives (same series)
 * at different versions.
 */
public final class Skew {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private List<String> archives = List.of();
    private String series;

    public Skew(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public Skew caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public Skew archives(List<String> archives) {
        this.archives = List.copyOf(archives);
        return this;
    }

    /** Only this series (default: every series the archives have). */
    public Skew series(String series) {
        this.series = series;
        return this;
    }

    private boolean dependencies;

    /** Also reports binaries whose dependencies the set names but cannot satisfy at the versions it has. */
    public Skew dependencies(boolean yes) {
        this.dependencies = yes;
        return this;
    }

    /**
     * A binary of {@code archive} whose {@code field} relation the set of archives cannot satisfy, although it has
     * the package at other versions ({@code has}: "name version, ...").
     */
    public record Unsatisfied(
            String archive, String series, String binary, String version, String field, String relation, String has) {}

    /**
     * One skewed source in one series.
     *
     * @param versions archive name to published version (null where absent), in the order asked
     * @param highest the highest version among them
     */
    public record Row(String series, String source, Map<String, String> versions, String highest) {}

    public record Result(List<String> archives, List<Row> rows, List<Unsatisfied> unsatisfied) {
        public boolean hasSkew() {
            return !rows.isEmpty() || !unsatisfied.isEmpty();
        }
    }

    public Result call() {
        archives.forEach(a -> caller.read(ppa, a));
        if (archives.size() < 2) {
            throw ArchiveException.invalid("skew compares at least two archives");
        }
        return ppa.metadata().read(tx -> {
            // series -> source -> archive -> version string
            Map<String, Map<String, Map<String, String>>> table = new TreeMap<>();
            for (String name : archives) {
                Archive a = Lookup.archive(tx, name);
                if (series != null && !a.hasSeries(series)) {
                    continue;
                }
                for (String[] p : tx.publishedVersions(a.id(), series)) {
                    table.computeIfAbsent(p[0], k -> new TreeMap<>())
                            .computeIfAbsent(p[1], k -> new LinkedHashMap<>())
                            .put(a.name(), p[2]);
                }
            }
            List<Row> rows = new ArrayList<>();
            table.forEach((s, sources) -> sources.forEach((source, versions) -> {
                if (versions.size() < 2 || versions.values().stream().distinct().count() == 1) {
                    return; // absent elsewhere, or the same string everywhere: no skew, nothing to parse
                }
                Version highest = null;
                boolean differ = false;
                for (String text : versions.values()) {
                    Version v = Version.parse(text);
                    if (highest != null && v.compareTo(highest) != 0) {
                        differ = true;
                    }
                    if (highest == null || v.compareTo(highest) > 0) {
                        highest = v;
                    }
                }
                if (differ) {
                    Map<String, String> cells = new LinkedHashMap<>();
                    for (String name : archives) {
                        cells.put(name, versions.get(name));
                    }
                    rows.add(new Row(s, source, cells, highest.toString()));
                }
            }));
            List<Unsatisfied> unsatisfied = new ArrayList<>();
            if (dependencies) {
                List<Archive> set = new ArrayList<>();
                for (String name : archives) {
                    set.add(Lookup.archive(tx, name));
                }
                java.util.Set<String> allSeries = new java.util.TreeSet<>();
                set.forEach(a -> allSeries.addAll(a.series()));
                for (String s : series != null ? List.of(series) : List.copyOf(allSeries)) {
                    unsatisfied.addAll(DependencyPlan.unsatisfied(tx, set, s));
                }
            }
            return new Result(archives, rows, unsatisfied);
        });
    }
}
