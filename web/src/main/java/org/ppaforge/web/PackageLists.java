package org.ppaforge.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.verb.ListPackages;

/**
 * What each archive (and series) publishes, kept between page views: read again only when the archive's change
 * sequence moved (any process's include, copy, removal, key or setting change moves it), so the page of a
 * 20,000-package archive costs one small query while nothing changes (reading it costs about 0.1 s). Under a stream of
 * changes (uploads every few hundred milliseconds) a list is read again at most once a second, so pages may lag the
 * archive by up to a second then; a single change is shown at once. Bounded: at most {@link #MAX} lists.
 */
final class PackageLists {
    static final int MAX = 64;
    private final Ppaforge ppa;
    private final Map<String, Cached> lists = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** @param forChange read because the archive changed (not the first read of the list) */
    private record Cached(
            long seq,
            List<ListPackages.Entry> entries,
            String[] names,
            Map<String, String> sourceOf,
            long readAt,
            boolean forChange) {
        /**
         * Whether the list may still be shown although the archive changed since it was read: only within a stream of
         * changes, when this list was itself read for a change less than {@link #MIN_REFRESH_NANOS} ago. A first change
         * after a quiet time is shown at once.
         */
        boolean holdsBack(long now) {
            return forChange && now - readAt < MIN_REFRESH_NANOS;
        }
    }

    /** Under a stream of changes, a list is read again at most this often. */
    static final long MIN_REFRESH_NANOS = 1_000_000_000L;

    PackageLists(Ppaforge ppa) {
        this.ppa = ppa;
    }

    List<ListPackages.Entry> of(String archive, String series) {
        return cached(archive, series).entries;
    }

    /** Which source publishes each binary name in the archive (any series), for links between packages. */
    Map<String, String> sourceOf(String archive) {
        return cached(archive, null).sourceOf;
    }

    private static Map<String, String> sourceOf(List<ListPackages.Entry> entries) {
        Map<String, String> out = new HashMap<>();
        for (ListPackages.Entry e : entries) {
            e.binaries().values().forEach(bs -> bs.forEach(b -> out.putIfAbsent(b.name(), e.source())));
        }
        return Map.copyOf(out);
    }

    /** The entries whose source or binary names, or whose binaries' short descriptions, contain {@code q} (lower case). */
    List<ListPackages.Entry> matching(String archive, String series, String q) {
        Cached c = cached(archive, series);
        List<ListPackages.Entry> out = new ArrayList<>();
        for (int i = 0; i < c.names.length; i++) {
            if (c.names[i].contains(q)) {
                out.add(c.entries.get(i));
            }
        }
        return out;
    }

    /**
     * Each entry's source and binary names and short descriptions in one lower-case string, searched instead of walking
     * every entry's binaries.
     */
    private static String[] names(List<ListPackages.Entry> entries) {
        String[] names = new String[entries.size()];
        for (int i = 0; i < names.length; i++) {
            ListPackages.Entry e = entries.get(i);
            StringBuilder b = new StringBuilder(e.source());
            e.binaries()
                    .values()
                    .forEach(bs -> bs.forEach(
                            x -> b.append('\n').append(x.name()).append('\n').append(x.summary())));
            names[i] = b.toString().toLowerCase(Locale.ROOT);
        }
        return names;
    }

    private Cached cached(String archive, String series) {
        String key = archive + "\0" + (series == null ? "" : series);
        long seq = ppa.changeSequence().archive(archive).call();
        Cached c = lists.get(key);
        if (c != null && (c.seq == seq || c.holdsBack(System.nanoTime()))) {
            return c;
        }
        ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        // One reader per list. While it reads, other views show the list as it was a moment ago (one read's time, about
        // 0.2 s for 20,000 packages) instead of queueing behind it; a first view waits.
        if (c != null && !lock.tryLock()) {
            return c;
        }
        if (c == null) {
            lock.lock();
        }
        try {
            Cached old = lists.get(key);
            c = old;
            if (c == null || c.seq < seq) {
                // The sequence is read before the list: a change in between makes the next view read again, never the
                // reverse.
                List<ListPackages.Entry> entries =
                        List.copyOf(ppa.list().archive(archive).series(series).call());
                c = new Cached(seq, entries, names(entries), sourceOf(entries), System.nanoTime(), old != null);
                if (lists.size() >= MAX) {
                    lists.clear();
                }
                lists.put(key, c);
            }
            return c;
        } finally {
            lock.unlock();
        }
    }
}
