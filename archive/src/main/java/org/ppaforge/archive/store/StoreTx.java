package org.ppaforge.archive.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ppaforge.archive.model.ApiToken;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.archive.model.PoolFile;
import org.ppaforge.archive.model.PublishSettings;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.model.UploadRecord;
import org.ppaforge.archive.model.Uploader;
import org.ppaforge.debian.checksum.Checksums;

/** The operations verbs need inside one transaction. Holds no rules: the verbs do. */
public interface StoreTx {
    Archive createArchive(
            String name,
            String description,
            List<String> series,
            List<String> components,
            List<String> architectures,
            Instant now);

    Optional<Archive> archive(String name);

    List<Archive> archives();

    /** Source publications of an archive ({@code series} null for all), only published ones or all. */
    List<SourcePublication> sources(long archiveId, String series, boolean publishedOnly);

    /** Just series, name and version of the published sources (lighter than {@link #sources}). */
    List<String[]> publishedVersions(long archiveId, String series);

    /** Every publication of one source name in an archive, oldest first. */
    List<SourcePublication> history(long archiveId, String name);

    /** Published binary publications of an archive and series ({@code series} null for all). */
    List<BinaryPublication> publishedBinaries(long archiveId, String series);

    List<BinaryPublication> binariesOf(long sourcePublicationId);

    /** Every pool file name the archive has ever published, with the content it names. */
    Map<String, String> poolNames(long archiveId);

    /** {@link #poolNames} restricted to these file names (for small includes into large archives). */
    Map<String, String> poolNames(long archiveId, Collection<String> filenames);

    /** The published sources of these names in an archive series. */
    List<SourcePublication> publishedSources(long archiveId, String series, Collection<String> names);

    /** The published binaries of these package names in an archive series. */
    List<BinaryPublication> publishedBinaries(long archiveId, String series, Collection<String> names);

    List<PoolFile> sourceFiles(long sourceId);

    void putPoolFiles(Collection<Checksums> files);

    Optional<Long> findSourcePackage(String name, String version, String dscSha256);

    /**
     * Every source package of these names, keyed by {@link #sourceKey} (the newest one
     * where several share a key).
     */
    Map<String, Long> findSourcePackages(Collection<String> names);

    /** The key {@link #findSourcePackages} uses; {@code dscSha256} may be null. */
    static String sourceKey(String name, String version, String dscSha256) {
        return name + "\0" + version + "\0" + (dscSha256 == null ? "" : dscSha256);
    }

    long insertSourcePackage(
            String name, String version, String dscSha256, String stanza, List<PoolFile> files, Instant now);

    /** Gives a source known only from its binaries its .dsc and files. */
    void attachDsc(long sourceId, String dscSha256, String stanza, List<PoolFile> files);

    Optional<Long> findBinaryPackage(String sha256);

    /** The ids of the binary packages with these contents (those known; one query per 500). */
    Map<String, Long> findBinaryPackages(Collection<String> sha256s);

    long insertBinaryPackage(
            String name,
            String version,
            String architecture,
            String filename,
            String sha256,
            String control,
            String contents);

    /**
     * Publishes a source; {@code replaces} (nullable) is the publication it supersedes, marked
     * superseded first so only one is ever published. Its binaries stay published: a binary is
     * superseded only by a newer one of the same name and architecture ({@link #supersedeBinary}),
     * so users of an architecture the new version is not built for yet keep a working package.
     */
    long publishSource(
            long archiveId,
            String series,
            String component,
            long sourceId,
            String name,
            String version,
            String origin,
            String by,
            Instant now,
            Long replaces);

    long publishBinary(
            long sourcePublicationId,
            long binaryId,
            long archiveId,
            String series,
            String name,
            String architecture,
            Instant now);

    void supersedeBinary(long binaryPublicationId, Instant now);

    /** Marks a published source deleted, with its published binaries. */
    void deleteSource(long publicationId, String by, String reason, Instant now);

    // Publishing.

    PublishSettings publishSettings(long archiveId);

    void setPublishSettings(long archiveId, PublishSettings settings);

    /** How many changes the archive's tree must show: every change to what it publishes bumps it, in its own transaction. */
    long changedSeq(long archiveId);

    /** The bytes of the Contents lines (paths) of the binaries published in the archive's series. */
    long contentsBytes(long archiveId, String series);

    /** Records that the archive's tree shows it as of {@code seq} (never lowers the mark). */
    void markPublished(long archiveId, long seq);

    /** Archives with a change their tree does not show yet (a writer stopped between its commit and its publish). */
    List<String> unpublishedArchives();

    /** The published binaries of an archive, per series, each ordered by component, name, architecture. */
    Map<String, List<IndexRows.Binary>> indexBinaries(long archiveId);

    Map<Long, IndexRows.BinaryDetail> binaryDetails(Collection<Long> binaryIds);

    /** The control stanzas of binary packages, by binary id (without their Contents, for pages). */
    Map<Long, String> binaryControls(Collection<Long> binaryIds);

    /** The short description of each binary the archive publishes (in the series, or all when null), by binary id. */
    Map<Long, String> binarySummaries(long archiveId, String series);

    /** The highest binary publication id of the store (any archive). */
    long maxBinaryPublicationId();

    /** How many binaries the archive publishes (all series). */
    long publishedBinaryCount(long archiveId);

    /** What an archive's publications hold in the pool: the bytes of the files of its published packages, and of all. */
    record PoolUsage(String archive, long publishedBytes, long allBytes) {}

    /** Each archive's pool bytes (a file shared by two archives counts in each). */
    List<PoolUsage> poolUsage();

    /** The SHA-256 of every pool file some publication (in any state) names. */
    Set<String> referencedPoolFiles();

    /**
     * The pool files still needed at {@code now}: those of published packages, and of superseded or deleted ones whose
     * archive still serves them to clients mid-update (ended within its keep-superseded time).
     */
    Set<String> neededPoolFiles(Instant now);

    /**
     * The archive's binary publications with an id above {@code afterId} (whatever their
     * status now) and those that ended at or after {@code endedSince}.
     */
    List<IndexRows.BinaryChange> binaryChanges(long archiveId, long afterId, Instant endedSince);

    /** The published sources with a .dsc of an archive series, ordered by component, name. */
    List<IndexRows.Source> indexSources(long archiveId, String series);

    Map<Long, IndexRows.SourceDetail> sourceDetails(Collection<Long> sourceIds);

    /** Every file the archive's published sources (all series) need in its pool (binaries: see {@link #indexBinaries}). */
    List<IndexRows.PoolEntry> sourcePoolEntries(long archiveId);

    // Signing keys.

    List<ArchiveKey> keys(long archiveId);

    void insertKey(ArchiveKey key);

    void retireKey(long archiveId, String fingerprint, Instant now);

    /** Keeps a signing key's armoured secret part (on a shared database: every server signs with it). */
    void putSecretKey(String fingerprint, String armored, Instant now);

    /** A signing key's armoured secret part, when the store keeps it. */
    java.util.Optional<String> secretKey(String fingerprint);

    // Files of uploads in progress (on a shared database: whichever server received them).

    /** One received file of an upload in progress. */
    record IncomingFile(String name, String sha256, long size, Instant receivedAt) {}

    /** Records (or replaces) a file received for an uploader's upload; rows received before {@code stale} go. */
    void putIncoming(String archive, String uploader, IncomingFile file, Instant stale);

    /** The uploader's files received since {@code stale}, by name. */
    List<IncomingFile> incoming(String archive, String uploader, Instant stale);

    void deleteIncoming(String archive, String uploader, java.util.Collection<String> names);

    /** The contents of every upload in progress (kept by garbage collection). */
    java.util.Set<String> incomingBlobs();

    // API tokens.

    ApiToken insertToken(String name, String role, Long archiveId, String sha256, Instant now);

    List<ApiToken> tokens();

    /** The token whose SHA-256 this is, revoked or not. */
    Optional<ApiToken> tokenBySha256(String sha256);

    /** Marks a token revoked; false when there is no such unrevoked token. */
    boolean revokeToken(String name, Instant now);

    // Uploaders.

    List<Uploader> uploaders(long archiveId);

    void insertUploader(long archiveId, String fingerprint, String userIds, String publicKey, Instant now);

    boolean deleteUploader(long archiveId, String fingerprint);

    /** Replaces the stored copy of an uploader's public key (the same key, with newer signatures merged in). */
    void updateUploader(long archiveId, String fingerprint, String publicKey);

    // The upload log.

    void insertUpload(long archiveId, UploadRecord upload);

    /** The newest {@code limit} uploads of an archive, newest first. */
    List<UploadRecord> uploads(long archiveId, int limit);
}
