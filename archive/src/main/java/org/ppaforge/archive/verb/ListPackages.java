package org.ppaforge.archive.verb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.model.Status;

/** What an archive publishes: each source with its version and its binaries per architecture. */
public final class ListPackages {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String archive;
    private String series;

    public ListPackages(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public ListPackages caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public ListPackages archive(String archive) {
        this.archive = archive;
        return this;
    }

    /** Only this series (default: all). */
    public ListPackages series(String series) {
        this.series = series;
        return this;
    }

    /** A binary package: its name, version and short description (the first line of its Description). */
    public record Binary(String name, String version, String summary) {}

    /**
     * One source and the binaries published for it. {@code superseded}: a newer version of the source is
     * published, but these binaries of this one are not replaced yet (no newer binary of the same name and
     * architecture): they stay until one arrives or they are removed ({@code ppa remove NAME=VERSION}). {@code
     * summary}: what the package is, in a line: the short description of the binary named as the source, else of
     * its first binary; empty when no binary is published.
     */
    public record Entry(
            String series,
            String component,
            String source,
            String version,
            boolean hasSource,
            Map<String, List<Binary>> binaries,
            boolean superseded,
            String summary) {}

    public List<Entry> call() {
        caller.read(ppa, archive);
        return ppa.metadata().read(tx -> {
            Archive a = Lookup.archive(tx, archive);
            String s = series == null ? null : Lookup.series(a, series);
            Map<Long, Map<String, List<Binary>>> bySource = new HashMap<>();
            Map<Long, String> summaries = tx.binarySummaries(a.id(), s);
            for (BinaryPublication b : tx.publishedBinaries(a.id(), s)) {
                bySource.computeIfAbsent(b.sourcePublicationId(), k -> new TreeMap<>())
                        .computeIfAbsent(b.architecture(), k -> new ArrayList<>())
                        .add(new Binary(b.name(), b.version().toString(), summaries.getOrDefault(b.binaryId(), "")));
            }
            List<Entry> out = new ArrayList<>();
            for (SourcePublication p : tx.sources(a.id(), s, false)) {
                boolean published = p.status() == Status.PUBLISHED;
                if (published || (p.status() == Status.SUPERSEDED && bySource.containsKey(p.id()))) {
                    out.add(new Entry(
                            p.series(),
                            p.component(),
                            p.name(),
                            p.version().toString(),
                            p.hasDsc(),
                            bySource.getOrDefault(p.id(), Map.of()),
                            !published,
                            summary(p.name(), bySource.getOrDefault(p.id(), Map.of()))));
                }
            }
            return out;
        });
    }

    private static String summary(String source, Map<String, List<Binary>> binaries) {
        Binary first = null;
        for (List<Binary> arch : binaries.values()) {
            for (Binary b : arch) {
                if (b.name().equals(source) && !b.summary().isEmpty()) {
                    return b.summary();
                }
                if (first == null || b.name().compareTo(first.name()) < 0) {
                    first = b;
                }
            }
        }
        return first == null ? "" : first.summary();
    }
}
