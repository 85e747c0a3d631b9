package org.ppaforge.web;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.verb.ListPackages;

/**
 * What each archive (and series) publishes, kept between page views: read again only when the archive's change
 * sequence moved (any process's include, copy, removal, key or setting change moves it), so the page of a
 * 20,000-package archive costs one small query while nothing changes. Bounded: at most {@link #MAX} lists.
 */
final class PackageLists {
    static final int MAX = 64;
    private final Ppaforge ppa;
    private final Map<String, Cached> lists = new ConcurrentHashMap<>();

    private record Cached(long seq, List<ListPackages.Entry> entries) {
    }

    PackageLists(Ppaforge ppa) {
        this.ppa = ppa;
    }

    List<ListPackages.Entry> of(String archive, String series) {
        String key = archive + "\0" + (series == null ? "" : series);
        long seq = ppa.changeSequence().archive(archive).call();
        Cached c = lists.get(key);
        if (c == null || c.seq != seq) {
            // The sequence is read before the list: a change in between makes the next view read again, never the reverse.
            c = new Cached(seq, List.copyOf(ppa.list().archive(archive).series(series).call()));
            if (lists.size() >= MAX) {
                lists.clear();
            }
            lists.put(key, c);
        }
        return c.entries;
    }
}
