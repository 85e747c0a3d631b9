package org.ppaforge.archive.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.ppaforge.archive.Diagnostics;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.PublishSettings;
import org.ppaforge.archive.signing.ReleaseSigner;
import org.ppaforge.archive.store.BlobStore;
import org.ppaforge.archive.store.IndexRows;
import org.ppaforge.archive.store.MetadataStore;

/**
 * Writes one archive's apt tree: {@code pool/} and, per series, {@code dists/<series>/}
 * with Packages (plain, .gz, .xz) per component and architecture, Sources per component,
 * Contents-&lt;arch&gt;.gz, by-hash copies of each, and Release / InRelease / Release.gpg
 * written last. Readers never see a half-written state: every file a Release names exists
 * before that Release is renamed into place, and superseded by-hash files stay for the
 * archive's keep time. One publisher at a time per tree (a lock in the tree).
 */
public final class Publisher {
    /**
     * The pool files of a tree this process published last (path in the tree to SHA-256), or null when it does not
     * know them: what a copy of the tree elsewhere needs without walking the pool. Asked under the tree's lock.
     */
    public static Map<String, String> poolFiles(Path tree) throws IOException {
        return PoolLinks.files(tree);
    }

    private static final Map<String, Long> LAST_CLEAN = new ConcurrentHashMap<>();

    private final MetadataStore store;
    private final BlobStore blobs;
    private final Path cacheRoot;

    /** What one series' publish did. */
    public record SeriesResult(
            String series, int sources, int binaries, int chunksReused, int chunksRebuilt, List<String> files) {}

    public record Result(
            Path tree,
            List<SeriesResult> series,
            int poolLinked,
            int poolRemoved,
            List<String> signedBy,
            long millis) {}

    /** The state to publish, read in one transaction. */
    public record Snapshot(
            Archive archive,
            PublishSettings settings,
            Map<String, List<IndexRows.Binary>> binaries,
            Map<String, List<IndexRows.Source>> sources,
            List<IndexRows.PoolEntry> pool) {}

    /**
     * Whether a changed group of an index's xz blocks is made into one block again in the background, for the next
     * publish (see {@link XzGroups}): for long-running processes (the server); one-shot commands leave it to the next
     * publish that changes most of the group, or to a server.
     */
    public static void regroupInBackground(boolean on) {
        XzGroups.background(on);
    }

    private Runnable afterRegrouping;
    private boolean partial;

    /**
     * What to run once the background made whole the xz groups this publish left partial (see {@link XzGroups}): a
     * republish, so the archive does not keep the larger form until its next change. Not run in one-shot commands.
     */
    public Publisher afterRegrouping(Runnable then) {
        this.afterRegrouping = then;
        return this;
    }

    /** Waits up to {@code millis} for the background's xz groups and follow-up republishes (a server stopping). */
    public static void awaitRegrouping(long millis) {
        try {
            XzGroups.awaitIdle(millis);
        } catch (Exception e) {
            // stopping anyway; a group not made is made at the next publish
        }
    }

    public Publisher(MetadataStore store, BlobStore blobs, Path cacheRoot) {
        this.store = store;
        this.blobs = blobs;
        this.cacheRoot = cacheRoot;
    }

    /**
     * Publishes {@code series} (all when null) of the archive into {@code tree}, signing with
     * {@code signer} (null: unsigned, Release only). Call it inside {@link TreeLock#locked} for that tree, with a
     * snapshot read there.
     */
    public Result publish(Snapshot snap, Path tree, List<String> series, ReleaseSigner signer, List<String> signedBy)
            throws IOException {
        long start = System.nanoTime();
        XzGroups.publishing();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // The pool is brought up to date while the indices are built; every Release waits for it.
        CompletableFuture<PoolLinks.Result> poolLinks = CompletableFuture.supplyAsync(() -> {
            try {
                long p0 = System.nanoTime();
                PoolLinks.Result r =
                        PoolLinks.sync(tree, snap.pool(), blobs, snap.settings().keepSuperseded(), now);
                timing("pool links", p0);
                return r;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        ChunkCache cache = new ChunkCache(cacheRoot);
        List<SeriesResult> results = new ArrayList<>();
        for (String s : series) {
            results.add(publishSeries(snap, s, tree.resolve("dists").resolve(s), cache, signer, now, poolLinks));
        }
        PoolLinks.Result pool = poolLinks.join();
        XzGroups.publishing();
        if (partial && afterRegrouping != null) {
            XzGroups.afterBackground(afterRegrouping);
        }
        long g0 = System.nanoTime();
        // Clean the shared cache after a whole publish, at most every ten minutes per archive in a long-running
        // process (a missing chunk only costs a rebuild; a republish should not pay a directory scan).
        Long last = LAST_CLEAN.get(snap.archive().name());
        if (series.containsAll(snap.archive().series())
                && (last == null || System.nanoTime() - last > 600_000_000_000L)) {
            cache.removeUnused(snap.archive().name());
            LAST_CLEAN.put(snap.archive().name(), System.nanoTime());
        }
        timing("cache clean-up", g0);
        return new Result(
                tree, results, pool.linked(), pool.removed(), signedBy, (System.nanoTime() - start) / 1_000_000);
    }

    private SeriesResult publishSeries(
            Snapshot snap,
            String series,
            Path dist,
            ChunkCache cache,
            ReleaseSigner signer,
            Instant now,
            CompletableFuture<PoolLinks.Result> poolLinks)
            throws IOException {
        Archive a = snap.archive();
        List<IndexRows.Binary> binaries = snap.binaries().getOrDefault(series, List.of());
        List<IndexRows.Source> sources = snap.sources().getOrDefault(series, List.of());
        long t0 = System.nanoTime();
        IndexBuilder.Stats stats = new IndexBuilder.Stats();
        List<IndexFiles.Output> outputs = new ArrayList<>();
        List<Path> current = new ArrayList<>();
        Map<String, IndexRows.Binary> byIdentity = new HashMap<>();
        String[] ids = new String[binaries.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = binaryIdentity(binaries.get(i));
            byIdentity.put(ids[i], binaries.get(i));
        }
        Map<String, IndexRows.BinaryDetail> details = new ConcurrentHashMap<>();
        IndexBuilder.Renderer packages = items -> renderBinaries(items, byIdentity, details, Renderings::packages);
        IndexBuilder.Renderer contents = items -> renderBinaries(items, byIdentity, details, Renderings::contents);
        for (String component : a.components()) {
            // Debug symbols (-dbgsym) go to COMPONENT/debug, as Debian's -debug suites and Ubuntu's ddebs keep them
            // out of the main Packages: apt downloads them only for a sources entry that names COMPONENT/debug.
            boolean anyDebug = binaries.stream().anyMatch(b -> b.component().equals(component) && isDebug(b.name()));
            for (boolean debug : anyDebug ? List.of(false, true) : List.of(false)) {
                String where = debug ? debugComponent(component) : component;
                for (String arch : a.architectures()) {
                    List<IndexBuilder.Item> items = new ArrayList<>(binaries.size());
                    for (int i = 0; i < ids.length; i++) {
                        IndexRows.Binary b = binaries.get(i);
                        if (b.component().equals(component)
                                && isDebug(b.name()) == debug
                                && (b.architecture().equals(arch)
                                        || b.architecture().equals("all"))) {
                            items.add(new IndexBuilder.Item(b.name(), ids[i]));
                        }
                    }
                    outputs.addAll(index(
                            dist,
                            where + "/binary-" + arch + "/Packages",
                            "Packages",
                            items,
                            packages,
                            List.of(IndexFiles.Form.PLAIN, IndexFiles.Form.GZ, IndexFiles.Form.XZ),
                            cache,
                            stats,
                            current));
                    outputs.addAll(index(
                            dist,
                            where + "/Contents-" + arch,
                            "Contents",
                            items,
                            contents,
                            List.of(IndexFiles.Form.GZ),
                            cache,
                            stats,
                            current));
                }
            }
            Map<String, IndexRows.Source> srcById = new HashMap<>();
            List<IndexBuilder.Item> items = new ArrayList<>();
            for (IndexRows.Source s : sources) {
                if (s.component().equals(component)) {
                    String id = "S" + s.sourceId() + "/" + s.component() + "/" + s.name();
                    srcById.put(id, s);
                    items.add(new IndexBuilder.Item(s.name(), id));
                }
            }
            IndexBuilder.Renderer sourcesRenderer = its -> {
                Map<Long, IndexRows.SourceDetail> d = store.read(tx -> tx.sourceDetails(its.stream()
                        .map(i -> srcById.get(i.identity()).sourceId())
                        .toList()));
                Map<String, byte[]> out = new HashMap<>();
                for (IndexBuilder.Item i : its) {
                    IndexRows.Source s = srcById.get(i.identity());
                    out.put(i.identity(), Renderings.sources(s, d.get(s.sourceId())));
                }
                return out;
            };
            outputs.addAll(index(
                    dist,
                    component + "/source/Sources",
                    "Sources",
                    items,
                    sourcesRenderer,
                    List.of(IndexFiles.Form.PLAIN, IndexFiles.Form.GZ, IndexFiles.Form.XZ),
                    cache,
                    stats,
                    current));
            if (anyDebug) { // no sources of its own, but an index, so a deb-src entry naming it gets no warning
                outputs.addAll(index(
                        dist,
                        debugComponent(component) + "/source/Sources",
                        "Sources",
                        List.of(),
                        sourcesRenderer,
                        List.of(IndexFiles.Form.PLAIN, IndexFiles.Form.GZ, IndexFiles.Form.XZ),
                        cache,
                        stats,
                        current));
            }
        }
        timing("indices of " + series, t0);
        outputs.sort((x, y) -> x.path().compareTo(y.path()));
        try {
            poolLinks.join(); // every package file an index names is in the pool before the index is
        } catch (CompletionException e) {
            throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
        }
        IndexFiles.linkNames(dist, outputs);
        String release = ReleaseFile.text(a, snap.settings(), series, now, outputs);
        byte[] releaseBytes = release.getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dist.resolve("Release"), releaseBytes);
        if (signer != null) {
            Date when = Date.from(now);
            AtomicFiles.write(dist.resolve("Release.gpg"), signer.detached(releaseBytes, when));
            AtomicFiles.write(dist.resolve("InRelease"), signer.clearSigned(release, when));
        } else {
            Files.deleteIfExists(dist.resolve("InRelease"));
            Files.deleteIfExists(dist.resolve("Release.gpg"));
        }
        timing("release and signatures of " + series, t0);
        long r0 = System.nanoTime();
        ByHashCleanup.removeSuperseded(current, snap.settings().keepSuperseded().toMillis());
        timing("superseded files of " + series, r0);
        int sourceCount = (int) sources.size();
        if (stats.partial.get()) {
            partial = true;
        }
        return new SeriesResult(
                series,
                sourceCount,
                binaries.size(),
                stats.reused.get(),
                stats.rebuilt.get(),
                outputs.stream().map(IndexFiles.Output::path).toList());
    }

    /** Reports the seconds since {@code since} (a {@link System#nanoTime} reading) as a publish phase. */
    public static void timing(Diagnostics diagnostics, String what, long since) {
        diagnostics.timing("publish timings: " + what, (System.nanoTime() - since) / 1e9);
    }

    private void timing(String what, long since) {
        timing(diagnostics, what, since);
    }

    private Diagnostics diagnostics = Diagnostics.NONE;

    /** Where the phases' timings go (default: nowhere). */
    public Publisher diagnostics(Diagnostics d) {
        this.diagnostics = d;
        return this;
    }

    private Map<String, byte[]> renderBinaries(
            List<IndexBuilder.Item> items,
            Map<String, IndexRows.Binary> byIdentity,
            Map<String, IndexRows.BinaryDetail> details,
            BiFunction<IndexRows.Binary, IndexRows.BinaryDetail, byte[]> render) {
        List<Long> need = new ArrayList<>();
        for (IndexBuilder.Item i : items) {
            if (!details.containsKey(i.identity())) {
                need.add(byIdentity.get(i.identity()).binaryId());
            }
        }
        if (!need.isEmpty()) {
            Map<Long, IndexRows.BinaryDetail> d = store.read(tx -> tx.binaryDetails(need));
            for (IndexBuilder.Item i : items) {
                IndexRows.BinaryDetail bd = d.get(byIdentity.get(i.identity()).binaryId());
                if (bd != null) {
                    details.put(i.identity(), bd);
                }
            }
        }
        Map<String, byte[]> out = new HashMap<>();
        for (IndexBuilder.Item i : items) {
            out.put(i.identity(), render.apply(byIdentity.get(i.identity()), details.get(i.identity())));
        }
        return out;
    }

    /** Whether a binary package is debug symbols (Debian's and Ubuntu's automatic {@code -dbgsym} packages). */
    public static boolean isDebug(String name) {
        return name.endsWith("-dbgsym");
    }

    /** The component that holds a component's debug symbols: {@code main/debug}. */
    public static String debugComponent(String component) {
        return component + "/debug";
    }

    private static String binaryIdentity(IndexRows.Binary b) {
        return b.binaryId() + "/" + b.component() + "/" + b.source() + "/" + b.sha256();
    }

    /** One index: reuses its files outright when nothing in it changed, else rebuilds the changed chunks. */
    private List<IndexFiles.Output> index(
            Path dist,
            String base,
            String kind,
            List<IndexBuilder.Item> items,
            IndexBuilder.Renderer renderer,
            List<IndexFiles.Form> forms,
            ChunkCache cache,
            IndexBuilder.Stats stats,
            List<Path> current)
            throws IOException {
        IndexBuilder.Plan plan = IndexBuilder.plan(kind, items);
        String indexKey = "index-" + IndexBuilder.sha256Hex(plan.indexKey() + "\n" + base + "\n" + forms);
        byte[] known = cache.getRaw(indexKey);
        if (known != null) {
            List<IndexFiles.Output> outs = new ArrayList<>();
            List<Path> hashed = new ArrayList<>();
            boolean complete = true;
            for (String line : new String(known, StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split(" ");
                if (f.length != 3) {
                    complete = false;
                    break;
                }
                IndexFiles.Output o = new IndexFiles.Output(f[0], f[1], Long.parseLong(f[2]));
                outs.add(o);
                Path h = dist.resolve(o.path())
                        .getParent()
                        .resolve("by-hash")
                        .resolve("SHA256")
                        .resolve(o.sha256());
                if (!o.path().equals(base) || forms.contains(IndexFiles.Form.PLAIN)) {
                    if (!Files.exists(h)) {
                        complete = false;
                        break;
                    }
                    hashed.add(h);
                }
            }
            if (complete) {
                cache.touch(plan.keys());
                stats.reused.addAndGet(plan.groups().size());
                for (Path h : hashed) {
                    Files.setLastModifiedTime(h, FileTime.fromMillis(System.currentTimeMillis()));
                }
                current.addAll(hashed);
                return outs;
            }
        }
        long l0 = System.nanoTime();
        IndexBuilder.Loaded loaded = IndexBuilder.load(plan, renderer, cache, stats);
        List<Chunk> chunks = loaded.chunks();
        if (kind.equals("Contents")) {
            chunks = ContentsMerge.merge(chunks);
        }
        timing("  load chunks of " + base, l0);
        l0 = System.nanoTime();
        XzGroups.Grouped grouped =
                forms.contains(IndexFiles.Form.XZ) ? XzGroups.blocks(plan, chunks, loaded.rebuilt(), cache) : null;
        List<XzBlocks.Block> xz = grouped == null ? null : grouped.blocks();
        timing("  xz blocks of " + base, l0);
        l0 = System.nanoTime();
        List<IndexFiles.Output> outs = IndexFiles.write(dist, base, chunks, xz, forms, true, current);
        timing("  write " + base, l0);
        StringBuilder sb = new StringBuilder();
        for (IndexFiles.Output o : outs) {
            sb.append(o.path())
                    .append(' ')
                    .append(o.sha256())
                    .append(' ')
                    .append(o.size())
                    .append('\n');
        }
        if (grouped != null && grouped.partial()) {
            // Not the index's final form: the next publish writes it again (with the groups made whole by then).
            sb.append("partial\n");
            stats.partial.set(true);
        }
        cache.putRaw(indexKey, sb.toString().getBytes(StandardCharsets.UTF_8));
        return outs;
    }
}
