package org.ppaforge.archive.verb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.SourcePublication;

/** Lists archives (or shows one) with how many sources each series publishes. */
public final class ListArchives {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String name;

    public ListArchives(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public ListArchives caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    /** Only this archive (an error when it does not exist). */
    public ListArchives name(String name) {
        this.name = name;
        return this;
    }

    private boolean counts = true;

    /** Without counting what each series publishes (the counts are then empty): a cheap look-up of the archives. */
    public ListArchives counts(boolean counts) {
        this.counts = counts;
        return this;
    }

    /** An archive and the number of sources published per series. */
    public record Summary(Archive archive, Map<String, Integer> publishedSources) {}

    /** The archives the caller may read (a private one it may not read is missing to it, by name too). */
    public List<Summary> call() {
        if (name != null) {
            caller.read(ppa, name);
        }
        return ppa.metadata().read(tx -> {
            List<Archive> archives = name == null
                    ? tx.archives().stream()
                            .filter(a -> caller.mayRead(ppa, a.name()))
                            .toList()
                    : List.of(Lookup.archive(tx, name));
            List<Summary> out = new ArrayList<>();
            for (Archive a : archives) {
                Map<String, Integer> perSeries = new LinkedHashMap<>();
                if (counts) {
                    a.series().forEach(s -> perSeries.put(s, 0));
                    for (SourcePublication p : tx.sources(a.id(), null, true)) {
                        perSeries.merge(p.series(), 1, Integer::sum);
                    }
                }
                out.add(new Summary(a, perSeries));
            }
            return out;
        });
    }
}
