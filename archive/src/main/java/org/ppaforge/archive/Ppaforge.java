package org.ppaforge.archive;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.ppaforge.archive.blob.FileBlobStore;
import org.ppaforge.archive.blob.S3BlobStore;
import org.ppaforge.archive.blob.S3Location;
import org.ppaforge.archive.blob.S3Trees;
import org.ppaforge.archive.publish.Coalescer;
import org.ppaforge.archive.publish.Publisher;
import org.ppaforge.archive.signing.SecretKeyFiles;
import org.ppaforge.archive.signing.SecretKeyRows;
import org.ppaforge.archive.signing.SecretKeys;
import org.ppaforge.archive.store.BlobStore;
import org.ppaforge.archive.store.MetadataStore;
import org.ppaforge.archive.store.sql.PostgresMetadataStore;
import org.ppaforge.archive.store.sql.SqliteMetadataStore;
import org.ppaforge.archive.upload.IncomingQueue;
import org.ppaforge.archive.upload.SharedIncoming;
import org.ppaforge.archive.upload.UploadLimits;
import org.ppaforge.archive.verb.AddUploader;
import org.ppaforge.archive.verb.AptSources;
import org.ppaforge.archive.verb.Authenticate;
import org.ppaforge.archive.verb.ChangeSequence;
import org.ppaforge.archive.verb.CollectGarbage;
import org.ppaforge.archive.verb.ConfigureArchive;
import org.ppaforge.archive.verb.Copy;
import org.ppaforge.archive.verb.CreateArchive;
import org.ppaforge.archive.verb.CreateToken;
import org.ppaforge.archive.verb.ExportKey;
import org.ppaforge.archive.verb.GenerateKey;
import org.ppaforge.archive.verb.History;
import org.ppaforge.archive.verb.ImportKey;
import org.ppaforge.archive.verb.ImportRepository;
import org.ppaforge.archive.verb.Include;
import org.ppaforge.archive.verb.ListArchives;
import org.ppaforge.archive.verb.ListKeys;
import org.ppaforge.archive.verb.ListPackages;
import org.ppaforge.archive.verb.ListTokens;
import org.ppaforge.archive.verb.ListUploaders;
import org.ppaforge.archive.verb.ListUploads;
import org.ppaforge.archive.verb.ProcessUpload;
import org.ppaforge.archive.verb.Publish;
import org.ppaforge.archive.verb.ReceiveUpload;
import org.ppaforge.archive.verb.Recover;
import org.ppaforge.archive.verb.Remove;
import org.ppaforge.archive.verb.RemoveUploader;
import org.ppaforge.archive.verb.RetireKey;
import org.ppaforge.archive.verb.RevokeToken;
import org.ppaforge.archive.verb.RotateKey;
import org.ppaforge.archive.verb.ShowSource;
import org.ppaforge.archive.verb.Skew;
import org.ppaforge.archive.verb.Sync;
import org.ppaforge.common.sql.Databases;
import org.ppaforge.debian.deb.UnpackLimits;

/**
 * The entry point to an archive installation, as JGit's {@code Git} is to a repository:
 * it holds the stores and hands out one command object per verb. Front ends (CLI, HTTP,
 * pipelines) configure a verb, call it, and render its result; the rules live in the verbs.
 */
public final class Ppaforge implements AutoCloseable {
    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final String user;
    private final Path dataDir;
    private final ArchiveSettings settings;
    private final Databases databases;

    public Ppaforge(MetadataStore metadata, BlobStore blobs, String user, ArchiveSettings settings) {
        this(metadata, blobs, user, settings, Databases.embedded(settings.dataDir()));
    }

    private Ppaforge(
            MetadataStore metadata, BlobStore blobs, String user, ArchiveSettings settings, Databases databases) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.user = user;
        this.dataDir = settings.dataDir();
        this.settings = settings;
        this.databases = databases;
    }

    /** The embedded default under {@code dataDir}: {@code ppaforge.db}, {@code pool/}, {@code keys/}, {@code public/}. */
    public static Ppaforge open(Path dataDir) {
        return open(ArchiveSettings.of(dataDir));
    }

    /**
     * Opened with these settings: the metadata in the embedded SQLite file under the data directory, or in the shared
     * PostgreSQL database {@link ArchiveSettings#database()} names; the pool under the data directory.
     */
    public static Ppaforge open(ArchiveSettings settings) {
        Path dataDir = settings.dataDir();
        Databases databases = Databases.of(dataDir, settings.database());
        try {
            MetadataStore metadata = databases.shared()
                    ? new PostgresMetadataStore(databases)
                    : new SqliteMetadataStore(dataDir.resolve("ppaforge.db"));
            return new Ppaforge(
                    metadata, blobStore(settings), System.getProperty("user.name", "unknown"), settings, databases);
        } catch (RuntimeException e) {
            databases.close();
            throw e;
        }
    }

    /** The pool: {@code dataDir/pool}, or the bucket {@link ArchiveSettings#blobs()} names (cached in {@code cache/blobs}). */
    private static BlobStore blobStore(ArchiveSettings settings) {
        if (settings.blobs() == null || settings.blobs().isBlank()) {
            return new FileBlobStore(settings.dataDir().resolve("pool"), settings.poolLinks());
        }
        return new S3BlobStore(
                S3BlobStore.client(),
                S3Location.parse(settings.blobs()),
                settings.dataDir().resolve("cache").resolve("blobs"));
    }

    /**
     * The published trees every server serves, in the bucket, when the pool is in S3; null when each server serves its
     * own {@link #publishRoot()}.
     */
    public S3Trees sharedTrees() {
        return blobs instanceof S3BlobStore s3 ? s3.trees() : null;
    }

    /** Where every module keeps its tables (the modules above the core open theirs here). */
    public Databases databases() {
        return databases;
    }

    public ArchiveSettings settings() {
        return settings;
    }

    /** Where archives are published: {@code <root>/<archive>/dists/...} and {@code .../pool/...}. */
    public Path publishRoot() {
        return settings.publishRoot();
    }

    public char[] keyPassphrase() {
        return settings.keyPassphrase();
    }

    public Diagnostics diagnostics() {
        return settings.diagnostics();
    }

    /** Signing keys' secret parts: files under {@code keys/}, or rows of the shared database. */
    public SecretKeys secretKeys() {
        return databases.shared()
                ? new SecretKeyRows(metadata, settings.clock())
                : new SecretKeyFiles(dataDir.resolve("keys"));
    }

    /** Built index chunks, reused by the next publish. */
    public Path publishCache() {
        return dataDir.resolve("cache").resolve("publish");
    }

    /** Uploads in progress ({@code dataDir/incoming/<archive>/}). */
    public IncomingQueue incoming() {
        return new IncomingQueue(
                dataDir.resolve("incoming"),
                databases.shared() ? new SharedIncoming(metadata, blobs, settings.clock()) : null);
    }

    public UploadLimits uploadLimits() {
        return settings.uploadLimits();
    }

    private final AccessCache accessCache = new AccessCache();
    private final ProcessToken processToken = new ProcessToken();

    /** A worker token known only to this process (for the embedded build worker of {@code ppa serve}); never stored. */
    public ProcessToken processToken() {
        return processToken;
    }

    private final AtomicLong publishes = new AtomicLong();

    /** How many publishes this process has finished (a server's caches of published files check again after one). */
    public long publishes() {
        return publishes.get();
    }

    /** Called by Publish when a tree was written. */
    public void published() {
        publishes.incrementAndGet();
    }

    /** Archive privacy and tokens as apt reads ask for them, fresh within a second (verbs that change them clear it). */
    public AccessCache accessCache() {
        return accessCache;
    }

    /** The clock signatures are judged by (keys expire, signatures age); the system's, but a test may move it. */
    public Clock clock() {
        return settings.clock();
    }

    /** The most path bytes one archive series' Contents may list (default 256 MiB). */
    public long maxContentsBytes() {
        return settings.maxContentsBytes();
    }

    /** What a .deb may unpack to while it is read (include, uploads). */
    public UnpackLimits unpackLimits() {
        return settings.unpackLimits();
    }

    /** Republishes per archive, shared by the writers that ask at once. */
    private final ConcurrentMap<String, Coalescer<Publisher.Result>> republish = new ConcurrentHashMap<>();

    /**
     * Called by verbs after they committed a change to {@code archive}: republishes it, returning once a publish
     * that started after the call has finished. Writers that ask while one runs share the next.
     */
    public Publisher.Result changed(String archive) {
        Publisher.Result r = settings.autoPublish()
                ? republish
                        .computeIfAbsent(archive, k -> new Coalescer<>())
                        .request(() -> publish().archive(archive).call())
                : null;
        for (Consumer<String> l : changeListeners) {
            l.accept(archive);
        }
        return r;
    }

    private final List<Consumer<String>> changeListeners = new CopyOnWriteArrayList<>();

    /**
     * The hook for modules above the core (the build farm): called with an archive's name after a verb committed a
     * change to what it publishes (and, with auto-publish, after its tree shows it). A listener must return quickly.
     */
    public Ppaforge onChange(Consumer<String> listener) {
        changeListeners.add(listener);
        return this;
    }

    private final List<BiConsumer<String, Publisher.Result>> publishListeners = new CopyOnWriteArrayList<>();

    /**
     * The hook for what watches publishing from above the core (the server's metrics): called with an archive's name
     * and the result after each publish of its tree. A listener must return quickly.
     */
    public Ppaforge onPublished(BiConsumer<String, Publisher.Result> listener) {
        publishListeners.add(listener);
        return this;
    }

    /** Called by the publish verb once an archive's tree is written. */
    public void announcePublished(String archive, Publisher.Result result) {
        for (BiConsumer<String, Publisher.Result> l : publishListeners) {
            l.accept(archive, result);
        }
    }

    private final List<BiPredicate<String, String>> readGrants = new CopyOnWriteArrayList<>();

    /**
     * The hook for credentials that modules above the core hand out (the build farm's per-lease read credential): given
     * a credential's SHA-256 and a private archive's name, a grant says whether it may read that archive now.
     */
    public Ppaforge grantReads(BiPredicate<String, String> grant) {
        readGrants.add(grant);
        return this;
    }

    /** Whether a module's grant lets the credential with this SHA-256 read {@code archive}. */
    public boolean granted(String sha256, String archive) {
        for (var g : readGrants) {
            if (g.test(sha256, archive)) {
                return true;
            }
        }
        return false;
    }

    /** The data directory (modules keep their own files in it). */
    public Path dataDirectory() {
        return dataDir;
    }

    public MetadataStore metadata() {
        return metadata;
    }

    public BlobStore blobs() {
        return blobs;
    }

    /** Who the verbs record as acting (deletions, publications). */
    public String user() {
        return user;
    }

    public CreateArchive createArchive() {
        return new CreateArchive(this);
    }

    public ListArchives listArchives() {
        return new ListArchives(this);
    }

    public Include include() {
        return new Include(this);
    }

    public ListPackages list() {
        return new ListPackages(this);
    }

    public Copy copy() {
        return new Copy(this);
    }

    /** Deletes the pool files nothing needs any more ({@code ppa gc}). */
    public CollectGarbage collectGarbage() {
        return new CollectGarbage(this);
    }

    public Skew skew() {
        return new Skew(this);
    }

    public Sync sync() {
        return new Sync(this);
    }

    /** {@code ppa import}: an existing apt repository brought into an archive. */
    public ImportRepository importRepository() {
        return new ImportRepository(this);
    }

    public Remove remove() {
        return new Remove(this);
    }

    public History history() {
        return new History(this);
    }

    public ShowSource showSource() {
        return new ShowSource(this);
    }

    public ChangeSequence changeSequence() {
        return new ChangeSequence(this);
    }

    public Publish publish() {
        return new Publish(this);
    }

    public GenerateKey generateKey() {
        return new GenerateKey(this);
    }

    public ImportKey importKey() {
        return new ImportKey(this);
    }

    public ExportKey exportKey() {
        return new ExportKey(this);
    }

    public ListKeys listKeys() {
        return new ListKeys(this);
    }

    public RotateKey rotateKey() {
        return new RotateKey(this);
    }

    public RetireKey retireKey() {
        return new RetireKey(this);
    }

    public CreateToken createToken() {
        return new CreateToken(this);
    }

    public ListTokens listTokens() {
        return new ListTokens(this);
    }

    public RevokeToken revokeToken() {
        return new RevokeToken(this);
    }

    public Authenticate authenticate() {
        return new Authenticate(this);
    }

    public AddUploader addUploader() {
        return new AddUploader(this);
    }

    public ListUploaders listUploaders() {
        return new ListUploaders(this);
    }

    public RemoveUploader removeUploader() {
        return new RemoveUploader(this);
    }

    public ReceiveUpload receiveUpload() {
        return new ReceiveUpload(this);
    }

    /** Finishes what a killed process left: unpublished changes; at a server's start, queued uploads and temporary files. */
    public Recover recover() {
        return new Recover(this);
    }

    /** Scratch space of this data directory (include work directories), swept at a server's start. */
    public Path workDirectory() {
        return dataDir.resolve("tmp");
    }

    public ProcessUpload processUpload() {
        return new ProcessUpload(this);
    }

    public ListUploads listUploads() {
        return new ListUploads(this);
    }

    public AptSources aptSources() {
        return new AptSources(this);
    }

    public ConfigureArchive configureArchive() {
        return new ConfigureArchive(this);
    }

    @Override
    public void close() {
        try {
            metadata.close();
            if (blobs instanceof AutoCloseable c) {
                c.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("closing the stores: " + e.getMessage(), e);
        } finally {
            databases.close();
        }
    }
}
