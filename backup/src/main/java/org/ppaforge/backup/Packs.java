package org.ppaforge.backup;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ppaforge.common.ForgeException;

/**
 * Where a target keeps its blobs (file contents, table chunks), restic's way: each blob sealed on its own, many of them
 * written one after the other into a pack of about {@value #PACK_SIZE} bytes ({@code packs/ID}), and an index
 * ({@code index/ID}, sealed) saying which blob is where, written after its pack. Forty thousand small files make a
 * dozen objects instead of forty thousand: a first backup creates a dozen files, a later one learns what the target
 * holds from a few small indexes instead of listing every object. A file of {@value #OWN_PACK} bytes or more goes
 * into a pack of its own, streamed. A blob's sealed bytes say nothing of where they lie, so a prune or a copy moves
 * them between packs as they are.
 *
 * <p>Killed midway, a backup leaves whole packs whose index may be missing: their blobs are sent again by the next
 * backup, and a prune deletes packs no index names. The first format's single-blob objects ({@code data/NAME}) are
 * read as packs of one blob.
 */
final class Packs {
    static final long PACK_SIZE = 16 << 20;
    static final long OWN_PACK = 4 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Where a blob is: the object that holds it and its range there ({@code length} -1: the whole object), and whether
     * what is sealed there is its content compressed ({@link Zlib}; the blob's name is its content's, either way).
     */
    record Location(String object, long offset, long length, boolean compressed) {
        /** This blob's entry in an index. */
        List<Object> entry(String name, long offset, long length) {
            return compressed ? List.of(name, offset, length, "z") : List.of(name, offset, length);
        }
    }

    /** An index as stored: packs and, for each, its blobs as {@code [name, offset, length]}, and "z" if compressed. */
    record Index(List<Pack> packs) {}

    record Pack(String object, List<List<Object>> blobs) {}

    private final Target target;
    private final Keys keys;
    /** Each thread's (a Sealing holds a cipher, which is one thread's at a time). */
    private final ThreadLocal<Sealing> sealing;

    private final Map<String, Location> blobs = new HashMap<>();
    private final List<String> indexes = new ArrayList<>();
    private final Map<String, List<String>> packsOf = new HashMap<>();
    final List<String> damagedIndexes = new ArrayList<>();
    private long packSize = PACK_SIZE;
    private ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final Map<String, long[]> pendingBlobs = new LinkedHashMap<>();
    /** Told "backup-pack-written" after each pack and its index are written (a crash test kills the process there). */
    private java.util.function.Consumer<String> reached = point -> {};

    long packsWritten;
    long bytesWritten;

    private Packs(Target target, Keys keys) {
        this.target = target;
        this.keys = keys;
        this.sealing = ThreadLocal.withInitial(keys::sealing);
    }

    /** The blobs of a target, from its indexes (and the first format's objects). */
    static Packs load(Target target, Keys keys) throws IOException {
        Packs p = new Packs(target, keys);
        for (String id : target.list("index/")) {
            try {
                p.read(id, Zlib.plain(p.sealing.get().open(target.read("index/" + id), "index")));
            } catch (IOException | RuntimeException e) {
                // Its blobs count as absent: a backup sends them again, a restore that needs them says so, and
                // verify names the index.
                p.damagedIndexes.add(id);
            }
        }
        for (String name : target.list("data/")) {
            p.blobs.putIfAbsent(name, new Location("data/" + name, 0, -1, false));
        }
        return p;
    }

    /**
     * Takes in an index, read as a stream of tokens ({@link Index}'s shape; tens of thousands of entries are read on
     * every backup, and binding them to lists of objects first took a fifth of a second).
     */
    private void read(String id, byte[] json) throws IOException {
        List<String> objects = new ArrayList<>();
        Map<String, Location> found = new LinkedHashMap<>();
        try (JsonParser j = JSON.getFactory().createParser(json)) {
            expect(j, JsonToken.START_OBJECT);
            while (j.nextToken() == JsonToken.FIELD_NAME) {
                if (!j.currentName().equals("packs")) {
                    j.nextToken();
                    j.skipChildren();
                    continue;
                }
                expect(j, JsonToken.START_ARRAY);
                while (j.nextToken() == JsonToken.START_OBJECT) {
                    String object = null;
                    while (j.nextToken() == JsonToken.FIELD_NAME) {
                        String field = j.currentName();
                        if (field.equals("object")) {
                            object = j.nextTextValue();
                        } else if (field.equals("blobs") && object != null) {
                            expect(j, JsonToken.START_ARRAY);
                            while (j.nextToken() == JsonToken.START_ARRAY) {
                                String name = j.nextTextValue();
                                j.nextToken();
                                long offset = j.getLongValue();
                                j.nextToken();
                                long length = j.getLongValue();
                                boolean z = "z".equals(j.nextTextValue());
                                if (z) {
                                    expect(j, JsonToken.END_ARRAY);
                                }
                                found.putIfAbsent(name, new Location(object, offset, length, z));
                            }
                        } else {
                            throw new IOException("an index names its blobs before their pack");
                        }
                    }
                    objects.add(object);
                }
            }
        }
        indexes.add(id);
        packsOf.put(id, objects);
        found.forEach(blobs::putIfAbsent);
    }

    private static void expect(JsonParser j, JsonToken token) throws IOException {
        if (j.nextToken() != token) {
            throw new IOException("not an index: " + token + " expected");
        }
    }

    Packs reached(java.util.function.Consumer<String> reached) {
        this.reached = reached;
        return this;
    }

    /** Packs of about this many bytes (a test makes one pack per blob with 1). */
    Packs packSize(long packSize) {
        this.packSize = packSize;
        return this;
    }

    synchronized boolean has(String name) {
        return blobs.containsKey(name) || pendingBlobs.containsKey(name);
    }

    Map<String, Location> locations() {
        return blobs;
    }

    List<String> indexes() {
        return indexes;
    }

    /**
     * Adds a blob held in memory (written with the next full pack or {@link #flush}); false when the target has it.
     * Compressed first when asked (what a backup writes of its own: table chunks). Sealed by the calling thread,
     * outside the lock: several threads add at once.
     */
    boolean add(String name, byte[] plain, boolean compress) throws IOException {
        if (has(name)) {
            return false;
        }
        byte[] sealed = sealing.get().seal(compress ? Zlib.compress(plain) : plain, "data");
        synchronized (this) {
            if (has(name)) {
                return false;
            }
            pendingBlobs.put(name, new long[] {pending.size(), sealed.length, compress ? 1 : 0});
            pending.write(sealed);
            if (pending.size() >= packSize) {
                flush();
            }
        }
        return true;
    }

    /** Adds a large blob in a pack of its own, {@code in} sealed as it is read; returns the bytes written. */
    long addOwnPack(String name, InputStream in) throws IOException {
        String object = newPack();
        target.write(object, out -> sealing.get().seal(in, out, "data"));
        long length = target.size(object);
        synchronized (this) {
            writeIndex(List.of(new Pack(object, List.of(List.of(name, 0L, length)))));
            blobs.put(name, new Location(object, 0, length, false));
            packsWritten++;
            bytesWritten += length;
        }
        reached.accept("backup-pack-written");
        return length;
    }

    /** Writes the pending pack, then its index. */
    synchronized void flush() throws IOException {
        if (pendingBlobs.isEmpty()) {
            return;
        }
        String object = newPack();
        ByteArrayOutputStream bytes = pending;
        target.write(object, bytes::writeTo);
        List<List<Object>> entries = new ArrayList<>();
        pendingBlobs.forEach((name, at) -> entries.add(location(object, at).entry(name, at[0], at[1])));
        writeIndex(List.of(new Pack(object, entries)));
        pendingBlobs.forEach((name, at) -> blobs.put(name, location(object, at)));
        packsWritten++;
        bytesWritten += bytes.size();
        pendingBlobs.clear();
        pending = new ByteArrayOutputStream();
        reached.accept("backup-pack-written");
    }

    private static Location location(String object, long[] at) {
        return new Location(object, at[0], at[1], at[2] != 0);
    }

    /** Writes an index naming these packs; returns its id. */
    synchronized String writeIndex(List<Pack> packs) throws IOException {
        String id = random();
        target.put("index/" + id, sealing.get().seal(Zlib.compress(JSON.writeValueAsBytes(new Index(packs))), "index"));
        indexes.add(id);
        return id;
    }

    /** A new pack's object name. */
    static String newPack() {
        return "packs/" + random();
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A blob's sealed bytes as stored (a prune or a copy moves them as they are). */
    InputStream openSealed(String name) throws IOException {
        Location l = blobs.get(name);
        if (l == null) {
            throw ForgeException.notFound("the target has no blob " + name);
        }
        return l.length() < 0 ? target.open(l.object()) : target.open(l.object(), l.offset(), l.length());
    }

    /** A blob's content, written to {@code out}; a damaged blob throws {@link Sealing.Damaged}. */
    void read(String name, OutputStream out) throws IOException {
        Location l = blobs.get(name);
        try (InputStream in = openSealed(name)) {
            if (l.compressed()) {
                ByteArrayOutputStream z = new ByteArrayOutputStream();
                sealing.get().open(in, z, "data");
                out.write(Zlib.plain(z.toByteArray()));
            } else {
                sealing.get().open(in, out, "data");
            }
        }
    }

    byte[] read(String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        read(name, out);
        return out.toByteArray();
    }

    /** The blobs of each object (pack, or the first format's single-blob object). */
    Map<String, List<String>> byObject() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        blobs.forEach((name, l) ->
                out.computeIfAbsent(l.object(), k -> new ArrayList<>()).add(name));
        return out;
    }

    /** The blobs named in this set that the target does not hold. */
    List<String> missing(Set<String> names) {
        return names.stream().filter(n -> !blobs.containsKey(n)).toList();
    }

    /** The packs an index names. */
    List<String> packsOf(String index) {
        return packsOf.getOrDefault(index, List.of());
    }

    Keys keys() {
        return keys;
    }
}
