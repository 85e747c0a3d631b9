package org.ppaforge.archive;

import java.nio.file.Path;
import java.time.Clock;
import org.ppaforge.archive.upload.UploadLimits;
import org.ppaforge.debian.deb.UnpackLimits;

/**
 * How the archive core is opened, fixed for its lifetime: where its files live and are published, its limits, the
 * signing keys' passphrase, the clock and where diagnostics go. {@link #of} gives the embedded defaults; the withers
 * change one setting each.
 *
 * @param dataDir where the store, the pool, secret keys ({@code keys/}) and caches live
 * @param publishRoot where archives are published as apt trees ({@code <root>/<archive>/dists/...})
 * @param autoPublish whether verbs that change an archive republish it
 * @param keyPassphrase the passphrase of protected signing keys, or null
 * @param maxContentsBytes the most path bytes one archive series' Contents may list
 * @param poolLinks whether the pool hard-links files it is given instead of copying them when it can
 * @param database where the tables live: null for the embedded SQLite files under {@code dataDir}, or a
 *     {@code postgresql://} URI shared by several servers
 * @param blobs where file contents (the pool, logs, chroot tarballs) live: null for {@code dataDir/pool}, or
 *     {@code s3://bucket/prefix} shared by several servers
 * @param clock the clock of the whole forge: signatures are judged by it (keys expire, signatures age) and every module
 *     records its times by it (file-system housekeeping compares with the file system's own times)
 */
public record ArchiveSettings(
        Path dataDir,
        Path publishRoot,
        boolean autoPublish,
        char[] keyPassphrase,
        UploadLimits uploadLimits,
        UnpackLimits unpackLimits,
        long maxContentsBytes,
        boolean poolLinks,
        Clock clock,
        Diagnostics diagnostics,
        String database,
        String blobs) {
    /**
     * The most path bytes one archive series' Contents may list by default (256 MiB): every publish renders them, so
     * one uploader's many path-heavy packages cannot make it run out of memory (each .deb is bounded on its own, at 32
     * MiB).
     */
    public static final long MAX_CONTENTS_BYTES = 256L << 20;

    /** The embedded defaults under {@code dataDir}: published to {@code dataDir/public}. */
    public static ArchiveSettings of(Path dataDir) {
        return new ArchiveSettings(
                dataDir,
                dataDir.resolve("public"),
                true,
                null,
                UploadLimits.DEFAULT,
                UnpackLimits.DEFAULT,
                MAX_CONTENTS_BYTES,
                true,
                Clock.systemUTC(),
                Diagnostics.NONE,
                null,
                null);
    }

    public ArchiveSettings withPublishRoot(Path root) {
        return new ArchiveSettings(
                dataDir,
                root,
                autoPublish,
                keyPassphrase,
                uploadLimits,
                unpackLimits,
                maxContentsBytes,
                poolLinks,
                clock,
                diagnostics,
                database,
                blobs);
    }

    public ArchiveSettings withAutoPublish(boolean on) {
        return new ArchiveSettings(
                dataDir,
                publishRoot,
                on,
                keyPassphrase,
                uploadLimits,
                unpackLimits,
                maxContentsBytes,
                poolLinks,
                clock,
                diagnostics,
                database,
                blobs);
    }

    public ArchiveSettings withKeyPassphrase(char[] passphrase) {
        return new ArchiveSettings(
                dataDir,
                publishRoot,
                autoPublish,
                passphrase,
                uploadLimits,
                unpackLimits,
                maxContentsBytes,
                poolLinks,
                clock,
                diagnostics,
                database,
                blobs);
    }

    public ArchiveSettings withUploadLimits(UploadLimits limits) {
        return new ArchiveSettings(
                dataDir,
                publishRoot,
                autoPublish,
                keyPassphrase,
                limits,
                unpackLimits,
                maxContentsBytes,
                poolLinks,
                clock,
                diagnostics,
                database,
                blobs);
    }

    public ArchiveSettings withUnpackLimits(UnpackLimits limits) {
        return new ArchiveSettings(
                dataDir,
                publishRoot,
                autoPublish,
                keyPassphrase,
                uploadLimits,
                limits,
                maxContentsBytes,
                poolLinks,
                clock,
                diagnostics,
                database,
                blobs);
    }

    public ArchiveSettings withMaxContentsBytes(long bytes) {
        return new ArchiveSettings(
                dataDir,
                publishRoot,
                autoPublish,
                keyPassphrase,
                uploadLimits,
                unpackLimits,
                bytes,
                poolLinks,
                clock,
                diagnostics,
                database,
                blobs);
    }

    public ArchiveSettings withPoolLinks(boolean on) {
        return new ArchiveSettings(
                dataDir,
                publishRoot,
                autoPublish,
                keyPassphrase,
                uploadLimits,
                unpackLimits,
                maxContentsBytes,
                on,
                clock,
                diagnostics,
                database,
                blobs);
    }

    public ArchiveSettings withClock(Clock c) {
        return new ArchiveSettings(
                dataDir,
                publishRoot,
                autoPublish,
                keyPassphrase,
                uploadLimits,
                unpackLimits,
                maxContentsBytes,
                poolLinks,
                c,
                diagnostics,
                database,
                blobs);
    }

    public ArchiveSettings withDiagnostics(Diagnostics d) {
        return new ArchiveSettings(
                dataDir,
                publishRoot,
                autoPublish,
                keyPassphrase,
                uploadLimits,
                unpackLimits,
                maxContentsBytes,
                poolLinks,
                clock,
                d,
                database,
                blobs);
    }

    /** The tables in a shared PostgreSQL database ({@code postgresql://user@host/db}), or null for the embedded files. */
    public ArchiveSettings withDatabase(String url) {
        return new ArchiveSettings(
                dataDir,
                publishRoot,
                autoPublish,
                keyPassphrase,
                uploadLimits,
                unpackLimits,
                maxContentsBytes,
                poolLinks,
                clock,
                diagnostics,
                url,
                blobs);
    }

    /** File contents in S3-compatible storage ({@code s3://bucket/prefix}), or null for {@code dataDir/pool}. */
    public ArchiveSettings withBlobs(String uri) {
        return new ArchiveSettings(
                dataDir,
                publishRoot,
                autoPublish,
                keyPassphrase,
                uploadLimits,
                unpackLimits,
                maxContentsBytes,
                poolLinks,
                clock,
                diagnostics,
                database,
                uri);
    }
}
