package org.ppaforge.archive.verb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.archive.model.SourcePublication;

/** What an archive publishes: each source with its version and its binaries per architecture. */
public final class ListPackages {
    private final Ppaforge ppa;
    private String archive;
    private String series;

    public ListPackages(Ppaforge ppa) {
        this.ppa = ppa;
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

    public record Binary(String name, String version) {
    }

    public record Entry(String series, String component, String source, String version, boolean hasSource,
                        Map<String, List<Binary>> binaries) {
    }

    public List<Entry> call() {
        return ppa.metadata().read(tx -> {
            Archive a = Lookup.archive(tx, archive);
            String s = series == null ? null : Lookup.series(a, series);
            Map<Long, Map<String, List<Binary>>> bySource = new HashMap<>();
            for (BinaryPublication b : tx.publishedBinaries(a.id(), s)) {
                bySource.computeIfAbsent(b.sourcePublicationId(), k -> new TreeMap<>())
                        .computeIfAbsent(b.architecture(), k -> new ArrayList<>()).add(new Binary(b.name(), b.version().toString()));
            }
            List<Entry> out = new ArrayList<>();
            for (SourcePublication p : tx.sources(a.id(), s, true)) {
                out.add(new Entry(p.series(), p.component(), p.name(), p.version().toString(), p.hasDsc(),
                        bySource.getOrDefault(p.id(), Map.of())));
            }
            return out;
        });
    }
}
