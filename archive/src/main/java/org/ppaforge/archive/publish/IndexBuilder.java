package org.ppaforge.archive.publish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Builds an index (Packages, Sources, Contents) from its entries in chunks. Chunk
 * boundaries follow entry names (content-defined: a boundary after every name whose hash
 * ends in six zero bits), so adding or removing one entry changes one chunk and leaves
 * every other chunk's key, and its cached compressed forms, as they were.
 */
final class IndexBuilder {
    /** Bump when the rendering of any index changes, so old cached chunks are not reused. */
    static final String FORMAT = "ppaforge-index-1";

    private static final int BOUNDARY_MASK = 63;
    private static final int MAX_ENTRIES = 1024;

    /**
     * An index entry.
     *
     * @param name where chunk boundaries fall
     * @param identity everything the entry's rendered bytes depend on
     */
    record Item(String name, String identity) {}

    interface Renderer {
        /** Renders the entries (identity -> bytes, each ending in its separator). */
        Map<String, byte[]> render(List<Item> items);
    }

    record Plan(String kind, List<List<Item>> groups, List<String> keys, String indexKey) {}

    static final class Stats {
        final AtomicInteger reused = new AtomicInteger();
        final AtomicInteger rebuilt = new AtomicInteger();
        /** Whether an index went out with an xz group in small blocks (see {@link XzGroups}). */
        final AtomicBoolean partial = new AtomicBoolean();
    }

    private IndexBuilder() {}

    static Plan plan(String kind, List<Item> items) {
        List<List<Item>> groups = new ArrayList<>();
        List<Item> current = new ArrayList<>();
        for (Item it : items) {
            current.add(it);
            if (boundaryAfter(it.name(), BOUNDARY_MASK) || current.size() >= MAX_ENTRIES) {
                groups.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        List<String> keys = new ArrayList<>(groups.size());
        MessageDigest all = sha256();
        all.update((FORMAT + "\n" + kind + "\n").getBytes(StandardCharsets.UTF_8));
        MessageDigest d = sha256();
        byte[] head = (FORMAT + "\n" + kind + "\n").getBytes(StandardCharsets.UTF_8);
        for (List<Item> g : groups) {
            d.reset();
            d.update(head);
            for (Item it : g) {
                d.update(it.identity().getBytes(StandardCharsets.UTF_8));
                d.update((byte) '\n');
            }
            String key = HexFormat.of().formatHex(d.digest());
            keys.add(key);
            all.update(key.getBytes(StandardCharsets.US_ASCII));
        }
        return new Plan(kind, groups, keys, HexFormat.of().formatHex(all.digest()));
    }

    /** A plan's chunks, and which of them this load made (they were not in the cache). */
    record Loaded(List<Chunk> chunks, BitSet rebuilt) {}

    /**
     * The chunks of a plan: cached ones read back, the others rendered, gzipped (in parallel) and cached. Their small xz
     * blocks are made later, only where an xz group needs them ({@link XzGroups}).
     */
    static Loaded load(Plan plan, Renderer renderer, ChunkCache cache, Stats stats) {
        int n = plan.groups().size();
        Chunk[] chunks = new Chunk[n];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Chunk c = cache.get(plan.keys().get(i));
            if (c == null) {
                missing.add(i);
            } else {
                chunks[i] = c;
            }
        }
        stats.reused.addAndGet(n - missing.size());
        stats.rebuilt.addAndGet(missing.size());
        if (!missing.isEmpty()) {
            List<Item> toRender = new ArrayList<>();
            for (int i : missing) {
                toRender.addAll(plan.groups().get(i));
            }
            Map<String, byte[]> rendered = new HashMap<>(renderer.render(toRender));
            IntStream.range(0, missing.size()).parallel().forEach(m -> {
                int i = missing.get(m);
                ByteArrayOutputStream plain = new ByteArrayOutputStream();
                for (Item it : plan.groups().get(i)) {
                    byte[] b = rendered.get(it.identity());
                    if (b == null) {
                        throw new IllegalStateException("no rendering for index entry " + it.identity());
                    }
                    plain.writeBytes(b);
                }
                Chunk c = Chunk.of(plain.toByteArray());
                try {
                    cache.put(plan.keys().get(i), c);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                chunks[i] = c;
            });
        }
        BitSet rebuilt = new BitSet(n);
        missing.forEach(rebuilt::set);
        return new Loaded(List.of(chunks), rebuilt);
    }

    /**
     * Whether a run of entries (a chunk, a group of chunks) ends after the entry named {@code name}: its name's hash ends
     * in the zero bits of {@code mask}. With a mask that has more bits, the boundaries are a subset of the chunks'.
     */
    static boolean boundaryAfter(String name, int mask) {
        return (mix(name.hashCode()) & mask) == 0;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    static String sha256Hex(String s) {
        return HexFormat.of().formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
