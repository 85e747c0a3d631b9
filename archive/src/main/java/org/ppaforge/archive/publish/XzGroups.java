package org.ppaforge.archive.publish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The xz blocks of an index. Small blocks (one per chunk) keep a republish cheap but cost size: each block starts with an
 * empty dictionary, and on the 63,440-entry bookworm Packages 64-entry blocks made the file 25 % larger than one xz
 * stream. So chunks are grouped again, at boundaries that also follow entry names (a hash ending in twelve zero bits:
 * about 4,096 entries a group), and each group is one block compressed as {@code xz -6} compresses (about 1.04 times the
 * one-stream size on that index). A group's block is cached by the keys of its chunks. When a group is mostly new (a
 * first publish, a bulk import) its block is made at once, and its chunks' own blocks are not made (on 20,000 entries
 * they had cost 4 s of CPU beside the groups' 10 s); when one chunk of it changed, the changed group goes out in its
 * chunks' small blocks (made the first time this happens to a group, about 0.2 s of CPU per MB, and kept with the
 * chunks; a long-running process makes them in the background after a bulk publish); in a long-running process its
 * large block is then made in the background and the archive republished ({@link Publisher#afterRegrouping}), once
 * publishes have paused for a moment.
 */
final class XzGroups {
    /** A group ends after a chunk whose last entry's name hash ends in these bits (a subset of the chunk boundaries). */
    private static final int GROUP_MASK = 4095;
    /**
     * ... or when it holds this much: groups are compressed two at a time, and one of 8 MiB (half of a 20,000-package
     * index) was compressed alone after the rest, 2.7 s of the publish against 1.8-2.4 s with 4 MiB groups, for 1 %
     * more bytes (bookworm's 47 MB arm64 Packages: 1.046 times {@code xz -6} against 1.037).
     */
    private static final long MAX_GROUP_BYTES = 4L << 20;

    private static final byte[] NONE = new byte[0];
    private static final ExecutorService BACKGROUND = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ppaforge-xz-groups");
        worker = t;
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });
    private static final Set<String> PENDING = ConcurrentHashMap.newKeySet();
    private static volatile boolean background;

    /**
     * The background waits until no publish has started or ended for this long, so a burst of changes (a pipeline's
     * uploads, a script's includes) is not slowed by compressing groups the next change makes partial again: on two
     * cores a group's block (about 0.4 s of CPU) and its follow-up republish competed with each change that came
     * within a second. {@code -Dppaforge.regroupQuietMillis} sets it.
     */
    private static final long QUIET_NANOS = Long.getLong("ppaforge.regroupQuietMillis", 2_000) * 1_000_000L;

    private static volatile long lastPublish = System.nanoTime() - QUIET_NANOS;
    /** Set while someone waits for the background (a stopping server, a test): no quiet period then. */
    private static volatile int hurry;

    private static volatile Thread worker;

    private XzGroups() {}

    /**
     * An index's blocks, in order.
     *
     * @param partial whether a group went out in its chunks' small blocks (its single block is not made yet)
     */
    record Grouped(List<XzBlocks.Block> blocks, boolean partial) {}

    /**
     * The blocks of the index {@code plan} describes.
     *
     * @param chunks the plan's chunks, each with its small xz block
     * @param rebuilt which chunks this publish made (not found in the cache)
     */
    static Grouped blocks(IndexBuilder.Plan plan, List<Chunk> chunks, BitSet rebuilt, ChunkCache cache) {
        boolean partial = false;
        List<int[]> groups = groups(plan, chunks);
        XzBlocks.Block[][] out = new XzBlocks.Block[groups.size()][];
        List<Integer> now = new ArrayList<>();
        List<Integer> small = new ArrayList<>();
        List<String> keys = new ArrayList<>(groups.size());
        for (int g = 0; g < groups.size(); g++) {
            int from = groups.get(g)[0];
            int to = groups.get(g)[1];
            String key = key(plan, from, to);
            keys.add(key);
            Chunk cached = to - from == 1 ? null : cache.get(key);
            if (cached != null && cached.xz() != null) {
                out[g] = new XzBlocks.Block[] {cached.xz()};
            } else if (to - from > 1 && rebuilt.get(from, to).cardinality() * 2 >= to - from) {
                now.add(g);
            } else {
                partial |= to - from > 1;
                small.add(g);
                if (to - from > 1 && background && PENDING.add(key)) {
                    List<Chunk> group = List.copyOf(chunks.subList(from, to));
                    later(() -> {
                        try {
                            make(key, group, cache);
                        } finally {
                            PENDING.remove(key);
                        }
                    });
                }
            }
        }
        // A group's whole block, or its chunks' own blocks (made now where a chunk has none yet: the first change to a
        // group after a bulk publish, which made only whole groups), in parallel.
        List<int[]> work = new ArrayList<>();
        for (int g : now) {
            work.add(new int[] {g, -1});
        }
        for (int g : small) {
            out[g] = new XzBlocks.Block[groups.get(g)[1] - groups.get(g)[0]];
            for (int i = groups.get(g)[0]; i < groups.get(g)[1]; i++) {
                work.add(new int[] {g, i});
            }
        }
        work.parallelStream().forEach(w -> {
            int g = w[0];
            int from = groups.get(g)[0];
            if (w[1] < 0) {
                out[g] = new XzBlocks.Block[] {make(keys.get(g), chunks.subList(from, groups.get(g)[1]), cache)};
            } else {
                out[g][w[1] - from] = ownBlock(plan.keys().get(w[1]), chunks.get(w[1]), cache);
            }
        });
        if (background) {
            // A server makes the chunks' own blocks of groups it just made whole while it is idle, so the first change
            // to such a group does not wait for them (a Debian-sized index: about 1 s per group).
            for (int g : now) {
                for (int i = groups.get(g)[0]; i < groups.get(g)[1]; i++) {
                    String key = plan.keys().get(i);
                    Chunk chunk = chunks.get(i);
                    if (chunk.xz() == null && PENDING.add(key)) {
                        later(() -> {
                            try {
                                ownBlock(key, chunk, cache);
                            } finally {
                                PENDING.remove(key);
                            }
                        });
                    }
                }
            }
        }
        List<XzBlocks.Block> blocks = new ArrayList<>();
        for (XzBlocks.Block[] b : out) {
            blocks.addAll(List.of(b));
        }
        return new Grouped(blocks, partial);
    }

    /**
     * Runs {@code then} in the background once every group handed to it so far is made (in a long-running process; in
     * a one-shot command, never).
     */
    static void afterBackground(Runnable then) {
        if (background) {
            later(then);
        }
    }

    /** Runs {@code work} on the background thread once publishes pause ({@link #awaitQuiet}). */
    private static void later(Runnable work) {
        long queued = System.nanoTime();
        BACKGROUND.execute(() -> {
            awaitQuiet(queued);
            work.run();
        });
    }

    /** A publish starts or ends: the background waits for a quiet period after it. */
    static void publishing() {
        lastPublish = System.nanoTime();
    }

    /**
     * Sleeps until no publish has started or ended for the quiet period, or someone waits for the background, or the
     * work has waited its longest ({@code -Dppaforge.regroupMaxDelayMillis}, 30 s since it was {@code queued}: a server
     * that publishes more often than the quiet period still makes its groups whole).
     */
    private static void awaitQuiet(long queued) {
        long latest = queued + Long.getLong("ppaforge.regroupMaxDelayMillis", 30_000) * 1_000_000L;
        long wait;
        while (hurry == 0 && (wait = Math.min(lastPublish + QUIET_NANOS, latest) - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                return;
            }
        }
    }

    /**
     * Waits until the background has done everything it was given so far, follow-ups included (a stopping server,
     * tests, benchmarks), without its quiet period.
     */
    static void awaitIdle(long millis) throws Exception {
        synchronized (XzGroups.class) {
            hurry++;
        }
        Thread t = worker;
        if (t != null) {
            LockSupport.unpark(t); // out of its quiet period
        }
        try {
            BACKGROUND.submit(() -> {}).get(millis, TimeUnit.MILLISECONDS);
        } finally {
            synchronized (XzGroups.class) {
                hurry--;
            }
        }
    }

    /**
     * Whether changed groups are regrouped in the background (a long-running process: the server). Off by default: a
     * one-shot command would exit before it finished, and its compression would only slow the command.
     */
    static void background(boolean on) {
        background = on;
    }

    /** Consecutive chunks [from, to) per group. */
    private static List<int[]> groups(IndexBuilder.Plan plan, List<Chunk> chunks) {
        List<int[]> groups = new ArrayList<>();
        int from = 0;
        long bytes = 0;
        for (int i = 0; i < chunks.size(); i++) {
            bytes += chunks.get(i).plain().length;
            List<IndexBuilder.Item> items = plan.groups().get(i);
            String last = items.get(items.size() - 1).name();
            if (IndexBuilder.boundaryAfter(last, GROUP_MASK) || bytes >= MAX_GROUP_BYTES || i == chunks.size() - 1) {
                groups.add(new int[] {from, i + 1});
                from = i + 1;
                bytes = 0;
            }
        }
        return groups;
    }

    private static String key(IndexBuilder.Plan plan, int from, int to) {
        MessageDigest d = IndexBuilder.sha256();
        d.update("xz-group-1\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = from; i < to; i++) {
            d.update(plan.keys().get(i).getBytes(StandardCharsets.US_ASCII));
        }
        return "xz-" + HexFormat.of().formatHex(d.digest());
    }

    /** A chunk's own block; made now (and the chunk cached again with it) when it has none. */
    private static XzBlocks.Block ownBlock(String key, Chunk chunk, ChunkCache cache) {
        if (chunk.xz() != null) {
            return chunk.xz();
        }
        Chunk with = chunk.withXz();
        try {
            cache.put(key, with);
        } catch (IOException e) {
            // not cached: made again next time
        }
        return with.xz();
    }

    private static XzBlocks.Block make(String key, List<Chunk> group, ChunkCache cache) {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        for (Chunk c : group) {
            plain.writeBytes(c.plain());
        }
        XzBlocks.Block block = XzBlocks.compressWhole(plain.toByteArray());
        try {
            cache.put(key, new Chunk(NONE, NONE, block));
        } catch (IOException e) {
            // not cached: made again next time
        }
        return block;
    }
}
