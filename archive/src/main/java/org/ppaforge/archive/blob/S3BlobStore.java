package org.ppaforge.archive.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.ppaforge.archive.store.BlobStore;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The pool in S3-compatible storage: each blob is the object {@code <prefix>/sha256/ab/<sha256>}, shared by every
 * server. Files up to {@link #PART_SIZE} go up in one PUT, larger ones in a multipart upload of parts of that size read
 * from the file (never held whole in memory); an object appears whole or not at all. Reads stream the object.
 *
 * <p>What needs a file on this machine (pool links into a published tree, a chroot tarball for sbuild) gets one from
 * {@link #localPath}: a copy fetched into {@code cache} on first use. The cache is only a cache: losing it costs time.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {
    /** Single PUT up to this size; beyond it, multipart uploads of parts this size (S3's minimum part is 5 MiB). */
    static final long PART_SIZE = 16L << 20;

    private final S3Client s3;
    private final S3Location where;
    private final Path cache;

    private final S3Trees trees;

    public S3BlobStore(S3Client s3, S3Location where, Path cache) {
        this.s3 = s3;
        this.where = where;
        this.cache = cache;
        this.trees = new S3Trees(s3, where, this);
    }

    /**
     * A client configured as the AWS tools are, from the environment: {@code AWS_ENDPOINT_URL} (then path-style
     * addressing, as MinIO, Ceph and s3proxy expect), {@code AWS_REGION} (default us-east-1), and credentials from
     * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} or the usual profile files.
     */
    public static S3Client client() {
        var b = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(env("AWS_REGION", env("AWS_DEFAULT_REGION", "us-east-1"))))
                // Checksums only where S3 requires them: the newer default (CRC32 trailers in aws-chunked bodies) is
                // not understood by every S3-compatible server.
                .requestChecksumCalculation(
                        software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(
                        software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED);
        String endpoint = env("AWS_ENDPOINT_URL_S3", env("AWS_ENDPOINT_URL", null));
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint))
                    .serviceConfiguration(S3Configuration.builder()
                            .pathStyleAccessEnabled(true)
                            .build());
        }
        return b.build();
    }

    /**
     * An AWS variable, else the Java system property the AWS SDK reads in its place ({@code aws.region},
     * {@code aws.endpointUrl}, ...; the SDK itself reads {@code aws.accessKeyId} and {@code aws.secretAccessKey}).
     */
    private static String env(String name, String otherwise) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            v = System.getProperty(
                    switch (name) {
                        case "AWS_REGION" -> "aws.region";
                        case "AWS_ENDPOINT_URL" -> "aws.endpointUrl";
                        case "AWS_ENDPOINT_URL_S3" -> "aws.endpointUrlS3";
                        default -> "aws." + name;
                    });
        }
        return v == null || v.isBlank() ? otherwise : v.strip();
    }

    public S3Location location() {
        return where;
    }

    private String key(String sha256) {
        FileBlobStore.checkSha256(sha256);
        return where.key("sha256/" + sha256.substring(0, 2) + "/" + sha256);
    }

    /** The object key of a blob (published trees copy pool files from it inside the bucket). */
    String blobKey(String sha256) {
        return key(sha256);
    }

    /** The published trees in the same bucket. */
    public S3Trees trees() {
        return trees;
    }

    /** Uploads at once per include: the bucket is waited for, not the CPU. */
    @Override
    public int writeParallelism() {
        return 16;
    }

    /**
     * Stores the file, and keeps it in this machine's cache (a hard link when it can: a publish links pool files from
     * there, and would otherwise fetch back what it just sent). A small new file is sent without asking first (the same
     * key holds the same bytes); a large one, or one this machine has seen, only when the bucket lacks it.
     */
    @Override
    public void put(Path file, String sha256) throws IOException {
        String key = key(sha256);
        Path cached = cachePath(sha256);
        long size = Files.size(file);
        // Asked first when large, and when known here (the bucket may have lost it since: another server's gc).
        if ((size > ASK_FIRST || Files.exists(cached)) && contains(sha256)) {
            keep(file, cached);
            return;
        }
        try {
            if (size <= PART_SIZE) {
                s3.putObject(r -> r.bucket(where.bucket()).key(key).contentLength(size), RequestBody.fromFile(file));
            } else {
                multipart(file, key, size);
            }
        } catch (SdkException e) {
            throw new IOException("cannot store blob " + sha256 + " in " + where + ": " + e.getMessage(), e);
        }
        keep(file, cached);
    }

    /** Files larger than this are only sent when the bucket lacks them (a HEAD first). */
    static final long ASK_FIRST = 1L << 20;

    /** The stored file into the cache: linked when on the same filesystem, else copied (a failure only costs a fetch). */
    private static void keep(Path file, Path cached) {
        try {
            Files.createDirectories(cached.getParent());
            try {
                Files.createLink(cached, file);
            } catch (UnsupportedOperationException | IOException e) {
                if (!Files.exists(cached)) {
                    Path tmp = cached.resolveSibling(cached.getFileName() + ".tmp-"
                            + ProcessHandle.current().pid() + "-"
                            + Thread.currentThread().getId());
                    Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            // only a cache
        }
    }

    private void multipart(Path file, String key, long size) throws IOException {
        String upload =
                s3.createMultipartUpload(r -> r.bucket(where.bucket()).key(key)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            try (InputStream in = Files.newInputStream(file)) {
                for (int n = 1; (long) (n - 1) * PART_SIZE < size; n++) {
                    long length = Math.min(PART_SIZE, size - (n - 1) * PART_SIZE);
                    int part = n;
                    String etag = s3.uploadPart(
                                    r -> r.bucket(where.bucket())
                                            .key(key)
                                            .uploadId(upload)
                                            .partNumber(part)
                                            .contentLength(length),
                                    RequestBody.fromInputStream(new BoundedStream(in, length), length))
                            .eTag();
                    parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
                }
            }
            s3.completeMultipartUpload(r -> r.bucket(where.bucket())
                    .key(key)
                    .uploadId(upload)
                    .multipartUpload(
                            CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (IOException | RuntimeException e) {
            try {
                s3.abortMultipartUpload(r -> r.bucket(where.bucket()).key(key).uploadId(upload));
            } catch (SdkException ignored) {
                // the bucket's lifecycle rule for incomplete uploads cleans up what is left
            }
            throw e;
        }
    }

    @Override
    public boolean contains(String sha256) {
        try {
            s3.headObject(r -> r.bucket(where.bucket()).key(key(sha256)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new UncheckedIOException(new IOException("cannot reach " + where + ": " + e.getMessage(), e));
        }
    }

    @Override
    public InputStream open(String sha256) throws IOException {
        Path cached = cachePath(sha256);
        if (Files.exists(cached)) {
            return Files.newInputStream(cached);
        }
        try {
            return s3.getObject(r -> r.bucket(where.bucket()).key(key(sha256)), ResponseTransformer.toInputStream());
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(
                    where + "/" + key(sha256), null, "blob " + sha256 + " is missing from the pool");
        } catch (SdkException e) {
            throw new IOException("cannot read blob " + sha256 + " from " + where + ": " + e.getMessage(), e);
        }
    }

    /** The blob as a file of this machine's cache, fetched on first use (a missing blob: a path that does not exist). */
    @Override
    public Path localPath(String sha256) {
        Path cached = cachePath(sha256);
        if (Files.exists(cached)) {
            return cached;
        }
        try {
            Files.createDirectories(cached.getParent());
            Path tmp = cached.resolveSibling(
                    sha256 + ".tmp-" + ProcessHandle.current().pid() + "-"
                            + Thread.currentThread().getId());
            try {
                s3.getObject(r -> r.bucket(where.bucket()).key(key(sha256)), tmp);
                try {
                    Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (NoSuchKeyException e) {
            return cached; // not there: callers see a file that does not exist, as with the directory pool
        } catch (IOException | SdkException e) {
            throw new UncheckedIOException(
                    new IOException("cannot fetch blob " + sha256 + " from " + where + ": " + e.getMessage(), e));
        }
        return cached;
    }

    private Path cachePath(String sha256) {
        FileBlobStore.checkSha256(sha256);
        return cache.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    @Override
    public void forEach(Consumer<Stored> each) throws IOException {
        try {
            for (S3Object o : s3.listObjectsV2Paginator(
                            r -> r.bucket(where.bucket()).prefix(where.key("sha256/")))
                    .contents()) {
                String name = o.key().substring(o.key().lastIndexOf('/') + 1);
                if (name.matches("[0-9a-f]{64}")) {
                    each.accept(new Stored(name, o.size(), o.lastModified()));
                }
            }
        } catch (SdkException e) {
            throw new IOException("cannot list " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void check() throws IOException {
        try {
            s3.headBucket(r -> r.bucket(where.bucket()));
        } catch (SdkException e) {
            throw new IOException("the bucket of " + where + " does not answer: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String sha256) throws IOException {
        try {
            s3.deleteObject(r -> r.bucket(where.bucket()).key(key(sha256)));
            Files.deleteIfExists(cachePath(sha256));
        } catch (SdkException e) {
            throw new IOException("cannot delete blob " + sha256 + " from " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    /** At most {@code left} bytes of {@code in}, leaving {@code in} open for the next part. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedStream(InputStream in, long left) {
            this.in = in;
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // the whole file's stream is closed by the upload
        }
    }
}
