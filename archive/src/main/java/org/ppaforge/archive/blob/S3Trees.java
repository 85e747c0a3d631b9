package org.ppaforge.archive.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.debian.checksum.ReleaseChecksums;
import org.ppaforge.debian.control.Deb822Reader;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Published apt trees in the bucket, so that every server (and a CDN or nginx in front of the bucket) serves the same
 * bytes: {@code <prefix>/public/<archive>/dists/...} and {@code .../pool/...}. After each publish the local tree is
 * copied up in the order apt needs: new pool files and changed indices first (pool files copied inside the bucket from
 * the blob they are, when it is there), then the indices' by-hash copies, then {@code Release.gpg}, {@code Release} and
 * {@code InRelease} last; files the local tree no longer has are deleted after that. Uncompressed indices stay out when
 * a {@code .gz} is there. An apt that read an InRelease from the bucket finds
 * every index and by-hash file it names, whichever server it asks.
 *
 * <p>What the bucket holds is recorded in {@code <prefix>/trees/<archive>.manifest} (path, size, SHA-256 per line):
 * the next copy sends only what changed. Pool and by-hash paths never change content, so they are compared by name. A
 * by-hash file the tree no longer has stays {@link #BY_HASH_KEEP_MILLIS} before it is deleted.
 */
public final class S3Trees {
    private static final Set<String> SIGNED_LAST = Set.of("Release.gpg", "Release", "InRelease");
    private final S3Client s3;
    private final S3Location where;
    private final S3BlobStore blobs;

    public S3Trees(S3Client s3, S3Location where, S3BlobStore blobs) {
        this.s3 = s3;
        this.where = where;
        this.blobs = blobs;
    }

    /** What one copy did. */
    public record Result(int uploaded, int copiedInBucket, int deleted, long bytes) {}

    /** @param goneAt when a by-hash file left the published tree (epoch millis; 0: it is in the tree) */
    private record Entry(long size, String sha256, long goneAt) {
        Entry(long size, String sha256) {
            this(size, sha256, 0);
        }
    }

    /**
     * How long a by-hash file stays in the bucket after the tree stopped naming it: an apt that read the InRelease before
     * still fetches it (the servers' own trees keep them as long; another server's tree never had this one).
     */
    static final long BY_HASH_KEEP_MILLIS = 10 * 60_000;

    /** Copies the local {@code tree} of {@code archive} into the bucket (the caller holds the archive's publish lock). */
    public Result mirror(String archive, Path tree) throws IOException {
        return mirror(archive, tree, null, org.ppaforge.archive.Diagnostics.NONE);
    }

    /**
     * {@link #mirror(String, Path)}, telling {@code diagnostics} how long each part took.
     *
     * @param pool the tree's pool files (path in the tree to SHA-256) when the caller knows them (the publish that just
     *     wrote them): the pool is not walked then (null: walked)
     */
    public Result mirror(
            String archive, Path tree, Map<String, String> pool, org.ppaforge.archive.Diagnostics diagnostics)
            throws IOException {
        long t0 = System.nanoTime();
        Map<String, Entry> before = manifest(archive);
        t0 = lap(diagnostics, "manifest read", t0);
        List<String> poolFiles = new ArrayList<>();
        List<String> indices = new ArrayList<>();
        List<String> byHash = new ArrayList<>();
        List<String> signed = new ArrayList<>();
        Map<String, Long> sizes = new HashMap<>(); // from the walk's own reading of each entry: no second stat
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return pool != null && d.equals(tree.resolve("pool"))
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                if (!attrs.isRegularFile()) {
                    return FileVisitResult.CONTINUE;
                }
                String rel = tree.relativize(f).toString();
                if (rel.startsWith(".") || rel.contains("/.") || rel.contains(".tmp")) {
                    return FileVisitResult.CONTINUE; // the tree's lock file, temporary files of a publish
                }
                sizes.put(rel, attrs.size());
                if (rel.startsWith("pool/")) {
                    poolFiles.add(rel);
                } else if (SIGNED_LAST.contains(f.getFileName().toString())) {
                    signed.add(rel);
                } else if (rel.contains("/by-hash/SHA256/")) {
                    byHash.add(rel);
                } else {
                    indices.add(rel);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (pool != null) {
            for (Map.Entry<String, String> p : pool.entrySet()) {
                Entry known = before.get(p.getKey());
                // Pool paths never change content: one the bucket has is not looked at; a new one is, once.
                sizes.put(
                        p.getKey(),
                        known != null && known.sha256.equals(p.getValue())
                                ? known.size
                                : Files.size(tree.resolve(p.getKey())));
                poolFiles.add(p.getKey());
            }
        }
        Collections.sort(poolFiles);
        Collections.sort(indices);
        Collections.sort(byHash);
        Collections.sort(signed);
        // Every index's SHA-256 as the suites' Release files list it (the publish wrote them last, under the lock held
        // now): the indices are not read again here.
        Map<String, String> listed = new HashMap<>();
        for (String rel : signed) {
            if (rel.matches("dists/[^/]+/Release")) {
                listed.putAll(releaseSha256(tree, rel));
            }
        }
        // An index published compressed too stays out of the bucket uncompressed, and so does its by-hash copy: apt
        // fetches the compressed ones (Debian's mirrors have no uncompressed Packages either), and a server asked for
        // one decompresses the .gz ({@link #openUncompressed}). That is most of the bytes a change sends.
        Set<String> inTree = new HashSet<>(indices);
        Set<String> plainHashes = new HashSet<>();
        for (java.util.Iterator<String> i = indices.iterator(); i.hasNext(); ) {
            String rel = i.next();
            if (inTree.contains(rel + ".gz")) {
                String sha = listed.get(rel);
                plainHashes.add(sha != null ? sha : Checksums.sha256(tree.resolve(rel)));
                i.remove();
            }
        }
        byHash.removeIf(rel -> plainHashes.contains(rel.substring(rel.lastIndexOf('/') + 1)));
        t0 = lap(diagnostics, "tree walk", t0);
        Map<String, Entry> sent = new ConcurrentHashMap<>();
        AtomicInteger uploaded = new AtomicInteger();
        AtomicInteger copied = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        // Pool files and indices, then the indices' by-hash copies, then the signed files that name them: each group is
        // sent whole (many requests at once: the bucket is waited for) before the next starts. Pool files and indices
        // go together: an index under its own name is of no use to apt before the InRelease that names it (apt checks
        // its hash), and that comes last.
        List<String> first = new ArrayList<>(poolFiles);
        first.addAll(indices);
        ExecutorService senders = Executors.newFixedThreadPool(PARALLEL);
        try {
            // By-hash files after the indices they are copies of: copied inside the bucket, not sent again.
            Map<String, String> indexBySha = new ConcurrentHashMap<>();
            for (List<String> group : List.of(first, byHash, signed)) {
                if (group == byHash) {
                    for (String rel : indices) {
                        indexBySha.putIfAbsent(sent.get(rel).sha256, treeKey(archive, rel));
                    }
                }
                List<Future<?>> done = new ArrayList<>();
                for (String rel : group) {
                    done.add(senders.submit(() -> {
                        Entry e = group == byHash
                                ? sendByHash(
                                        archive,
                                        tree,
                                        rel,
                                        sizes.get(rel),
                                        before.get(rel),
                                        indexBySha,
                                        uploaded,
                                        copied,
                                        bytes)
                                : send(
                                        archive,
                                        tree,
                                        rel,
                                        sizes.get(rel),
                                        pool != null && rel.startsWith("pool/") ? pool.get(rel) : listed.get(rel),
                                        before.get(rel),
                                        uploaded,
                                        copied,
                                        bytes);
                        sent.put(rel, e);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while copying " + archive + " to " + where, e);
                    }
                }
            }
        } finally {
            senders.shutdownNow();
        }
        t0 = lap(diagnostics, "requests", t0);
        Map<String, Entry> after = new LinkedHashMap<>();
        for (List<String> group : List.of(poolFiles, indices, byHash, signed)) {
            for (String rel : group) {
                after.put(rel, sent.get(rel));
            }
        }
        int deleted = 0;
        long now = System.currentTimeMillis();
        for (String rel : before.keySet()) {
            if (!after.containsKey(rel)) {
                Entry old = before.get(rel);
                if (rel.contains("/by-hash/") && (old.goneAt == 0 || now - old.goneAt < BY_HASH_KEEP_MILLIS)) {
                    after.put(rel, new Entry(old.size, old.sha256, old.goneAt == 0 ? now : old.goneAt));
                    continue;
                }
                try {
                    s3.deleteObject(r -> r.bucket(where.bucket()).key(treeKey(archive, rel)));
                    deleted++;
                } catch (SdkException e) {
                    after.put(rel, before.get(rel)); // tried again at the next copy
                }
            }
        }
        t0 = lap(diagnostics, "deletes", t0);
        writeManifest(archive, after);
        lap(diagnostics, "manifest write", t0);
        return new Result(uploaded.get(), copied.get(), deleted, bytes.get());
    }

    private static long lap(org.ppaforge.archive.Diagnostics d, String what, long since) {
        long now = System.nanoTime();
        d.timing("publish timings:   bucket " + what, (now - since) / 1e9);
        return now;
    }

    /** Requests in flight at once while a tree is copied. */
    static final int PARALLEL = 16;

    /** Sends one file of the tree unless the bucket has it as it is; answers what the bucket holds now. */
    private Entry send(
            String archive,
            Path tree,
            String rel,
            long size,
            String listedSha256,
            Entry old,
            AtomicInteger uploaded,
            AtomicInteger copied,
            AtomicLong bytes)
            throws IOException {
        Path f = tree.resolve(rel);
        boolean immutable = rel.startsWith("pool/") || rel.contains("/by-hash/");
        if (old != null && immutable && old.size == size) {
            return new Entry(old.size, old.sha256);
        }
        String sha = listedSha256 != null ? listedSha256 : Checksums.sha256(f);
        if (old != null && old.sha256.equals(sha)) {
            return new Entry(old.size, old.sha256);
        }
        String key = treeKey(archive, rel);
        try {
            if (rel.startsWith("pool/") && copyBlob(sha, key)) {
                copied.incrementAndGet();
            } else {
                s3.putObject(r -> r.bucket(where.bucket()).key(key).contentLength(size), RequestBody.fromFile(f));
                uploaded.incrementAndGet();
                bytes.addAndGet(size);
            }
        } catch (SdkException e) {
            throw new IOException("cannot copy " + rel + " of " + archive + " to " + where + ": " + e.getMessage(), e);
        }
        return new Entry(size, sha);
    }

    /** A by-hash file (its name is its SHA-256): a copy of the index sent just before when there is one. */
    private Entry sendByHash(
            String archive,
            Path tree,
            String rel,
            long size,
            Entry old,
            Map<String, String> indexBySha,
            AtomicInteger uploaded,
            AtomicInteger copied,
            AtomicLong bytes)
            throws IOException {
        if (old != null && old.size == size) {
            return new Entry(old.size, old.sha256);
        }
        String sha = rel.substring(rel.lastIndexOf('/') + 1);
        String from = indexBySha.get(sha);
        if (from != null && sha.matches("[0-9a-f]{64}")) {
            try {
                s3.copyObject(r -> r.sourceBucket(where.bucket())
                        .sourceKey(from)
                        .destinationBucket(where.bucket())
                        .destinationKey(treeKey(archive, rel)));
                copied.incrementAndGet();
                return new Entry(size, sha);
            } catch (SdkException e) {
                // sent as a file below
            }
        }
        return send(archive, tree, rel, size, sha.matches("[0-9a-f]{64}") ? sha : null, old, uploaded, copied, bytes);
    }

    /** The SHA-256 of each file a suite's Release lists, by its path in the tree ({@code dists/SUITE/...}). */
    static Map<String, String> releaseSha256(Path tree, String release) throws IOException {
        String dir = release.substring(0, release.lastIndexOf('/') + 1);
        Map<String, String> out = new HashMap<>();
        try {
            Map<String, ReleaseChecksums.Listed> listed = ReleaseChecksums.sha256(
                    Deb822Reader.parseSingle(Files.readString(tree.resolve(release), StandardCharsets.UTF_8), release));
            if (listed != null) {
                listed.forEach((path, l) -> out.put(dir + path, l.sha256()));
            }
        } catch (FormatException e) {
            // the tree's own Release, unreadable: the indices are read instead
        }
        return out;
    }

    /** Copies the blob to {@code key} inside the bucket; false when the bucket has no such blob (then it is sent). */
    private boolean copyBlob(String sha, String key) {
        try {
            s3.copyObject(r -> r.sourceBucket(where.bucket())
                    .sourceKey(blobs.blobKey(sha))
                    .destinationBucket(where.bucket())
                    .destinationKey(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Not modified since what the client has (an {@code If-None-Match} or {@code If-Modified-Since} that held). */
    public static final class NotModified extends IOException {
        public NotModified() {
            super("not modified");
        }
    }

    /**
     * A file of a published tree as the bucket holds it, or null when it has none. {@code request} adds what the client
     * asked for ({@code Range}, {@code If-None-Match}, {@code If-Modified-Since}); a condition that holds throws
     * {@link NotModified}.
     */
    public ResponseInputStream<GetObjectResponse> open(
            String archive, String path, java.util.function.Consumer<GetObjectRequest.Builder> request)
            throws IOException {
        try {
            return s3.getObject(r -> {
                r.bucket(where.bucket()).key(treeKey(archive, path));
                request.accept(r);
            });
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 304) {
                throw new NotModified();
            }
            if (e.statusCode() == 404) {
                return null;
            }
            throw new IOException(
                    "cannot read " + path + " of " + archive + " from " + where + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException(
                    "cannot read " + path + " of " + archive + " from " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * An index the bucket keeps only compressed ({@code Packages}, {@code Sources}, {@code Contents-amd64}…), read
     * from its {@code .gz} and decompressed as it is read; null when the bucket has no {@code .gz} of it.
     */
    public InputStream openUncompressed(String archive, String path) throws IOException {
        if (path.contains("/by-hash/") || path.endsWith(".gz") || path.endsWith(".xz")) {
            return null;
        }
        ResponseInputStream<GetObjectResponse> gz = open(archive, path + ".gz", r -> {});
        if (gz == null) {
            return null;
        }
        try {
            return new java.util.zip.GZIPInputStream(gz, 1 << 16);
        } catch (IOException e) {
            gz.close();
            throw e;
        }
    }

    /** The key of {@code path} (relative to the archive's tree) in the bucket. */
    public String treeKey(String archive, String path) {
        return where.key("public/" + archive + "/" + path);
    }

    private String manifestKey(String archive) {
        return where.key("trees/" + archive + ".manifest");
    }

    /** The last manifest of each archive this server read or wrote, with the bucket's ETag of it. */
    private record Known(String etag, Map<String, Entry> entries) {}

    private final Map<String, Known> known = new ConcurrentHashMap<>();

    /**
     * The archive's manifest: this server's copy when the bucket's is still the one it knows (asked with
     * {@code If-None-Match}: a 20,000-package archive's manifest is 2 MB), else read again.
     */
    private Map<String, Entry> manifest(String archive) throws IOException {
        Known k = known.get(archive);
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> {
            r.bucket(where.bucket()).key(manifestKey(archive));
            if (k != null) {
                r.ifNoneMatch(k.etag);
            }
        })) {
            Map<String, Entry> out = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split("\t");
                if (f.length >= 3) {
                    out.put(f[0], new Entry(Long.parseLong(f[1]), f[2], f.length > 3 ? Long.parseLong(f[3]) : 0));
                }
            }
            known.put(archive, new Known(in.response().eTag(), out));
            return out;
        } catch (NoSuchKeyException e) {
            known.remove(archive);
            return new LinkedHashMap<>(); // the first copy of this archive
        } catch (S3Exception e) {
            if (e.statusCode() == 304 && k != null) {
                return new LinkedHashMap<>(k.entries);
            }
            throw new IOException(
                    "cannot read the tree manifest of " + archive + " in " + where + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException(
                    "cannot read the tree manifest of " + archive + " in " + where + ": " + e.getMessage(), e);
        }
    }

    private void writeManifest(String archive, Map<String, Entry> entries) throws IOException {
        StringBuilder sb = new StringBuilder();
        entries.forEach((rel, e) -> sb.append(rel)
                .append('\t')
                .append(e.size)
                .append('\t')
                .append(e.sha256)
                .append(e.goneAt == 0 ? "" : "\t" + e.goneAt)
                .append('\n'));
        try {
            String etag = s3.putObject(
                            r -> r.bucket(where.bucket()).key(manifestKey(archive)),
                            RequestBody.fromString(sb.toString(), StandardCharsets.UTF_8))
                    .eTag();
            known.put(archive, new Known(etag, Map.copyOf(entries)));
        } catch (SdkException e) {
            known.remove(archive);
            throw new IOException(
                    "cannot write the tree manifest of " + archive + " to " + where + ": " + e.getMessage(), e);
        }
    }
}
