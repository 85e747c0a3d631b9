package org.ppaforge.farm.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.Chroot;

/**
 * Where builds and build environments are kept. Each method is one transaction. The embedded default is
 * {@link SqlBuildStore}; holds no rules (the verbs do).
 */
public interface BuildStore extends AutoCloseable {
    /** A build to create: its state is decided by the caller (waiting, or chroot wait). */
    record NewBuild(
            String archive,
            String series,
            String source,
            String version,
            long sourcePublicationId,
            long sourceId,
            String architecture,
            boolean archAll,
            BuildState state,
            int score,
            String plan) {}

    /** Creates these builds; one that exists already (same publication and architecture) is left alone. */
    List<Build> insert(Collection<NewBuild> builds, Instant now);

    Optional<Build> get(long id);

    /** Builds, newest first; null arguments do not filter. */
    List<Build> list(String archive, BuildState state, String source, int limit);

    /** The source publications (of this archive) that have any build, whatever its state. */
    Set<Long> publicationsWithBuilds(String archive);

    /** Builds in these states (any archive). */
    List<Build> inStates(Collection<BuildState> states);

    /** Per state with any build: how many there are, and when the oldest of them was created (for the metrics). */
    record StateCount(BuildState state, long count, Instant oldestCreated) {}

    /** Every state's count (states without builds are left out). */
    List<StateCount> countByState();

    /**
     * Leases the next waiting build of one of these architectures to {@code worker} until {@code leaseUntil}: highest
     * score first, then the archive with the fewest builds running (so one archive's many builds do not starve
     * another's one), then the oldest. Empty when none waits.
     */
    Optional<Build> leaseNext(
            Collection<String> architectures, String worker, long token, Instant now, Instant leaseUntil);

    /** The id of the token that holds the build's lease (empty: none holds it). */
    OptionalLong leaseToken(long id);

    /** Records the SHA-256 of the read credential made for the build's current lease. */
    void grantRead(long id, String sha256);

    /** The building build whose lease's read credential has this SHA-256, if any (a finished lease's grant is void). */
    Optional<Build> readGrant(String sha256);

    /**
     * Moves a build from one of {@code from} to {@code to}, setting the given details (null keeps a value); false if it
     * was in none of {@code from} (someone else moved it first).
     */
    boolean transition(long id, Collection<BuildState> from, BuildState to, Instant now, String unmet, String message);

    /** Extends the lease of a building build held by {@code worker}; false if it does not hold it (any more). */
    boolean renewLease(long id, String worker, long token, Instant leaseUntil);

    void requestCancel(long id);

    /** Building builds whose lease ran out before {@code now} go back to waiting; returns them (as they were). */
    List<Build> expireLeases(Instant now);

    /** Builds waiting for a chroot of this series and architecture become waiting; returns how many. */
    int chrootArrived(String series, String architecture);

    /** The waiting builds of a series and architecture whose chroot was removed go to chroot-wait; how many. */
    int chrootGone(String series, String architecture);

    /** Back to waiting (a retry, or a build its worker gave back): clears worker, lease, times, unmet, message, cancel. */
    boolean requeue(long id, Collection<BuildState> from, Instant now);

    // Build environments.

    void putChroot(Chroot chroot);

    List<Chroot> chroots();

    Optional<Chroot> chroot(String series, String architecture);

    boolean removeChroot(String series, String architecture);

    // Archive dependencies.

    /**
     * One source of build-dependencies: kind {@code archive} (value: its name) or {@code external} (value: URL SUITE
     * COMPONENTS, the suite perhaps with {@code {series}}, for one series or, with a null series, for every series that
     * has no line of its own).
     */
    record ArchiveDependency(String kind, String value, String key, String series) {
        public ArchiveDependency(String kind, String value, String key) {
            this(kind, value, key, null);
        }

        /**
         * The external lines a build in {@code series} uses, {@code {series}} replaced: the series' own lines if it has
         * any, else the lines for every series.
         */
        public static List<ArchiveDependency> externalsFor(List<ArchiveDependency> all, String series) {
            List<ArchiveDependency> external =
                    all.stream().filter(d -> d.kind().equals("external")).toList();
            boolean own = external.stream().anyMatch(d -> series.equals(d.series()));
            return external.stream()
                    .filter(d -> own ? series.equals(d.series()) : d.series() == null)
                    .map(d -> new ArchiveDependency(d.kind(), d.value().replace("{series}", series), d.key(), series))
                    .toList();
        }
    }

    List<ArchiveDependency> dependencies(String archive);

    void setDependencies(String archive, List<ArchiveDependency> dependencies);

    /** The archives that name {@code archive} as a dependency. */
    Set<String> dependents(String archive);

    @Override
    void close();

    // Build logs on a shared database (the embedded default keeps files; see BuildLogs).

    /**
     * A build's log as the shared database has it: the running log's size, or the ended log's blob (gzip) and size; the
     * kept .buildinfo's blob.
     */
    record LogRow(long build, long liveBytes, String logSha256, long logBytes, String buildinfoSha256) {}

    /** A piece of a running log: its text and the byte offset it starts at. */
    record LogChunk(long startByte, String text) {}

    /** A build was leased: its live log starts (or goes on, for a lease taken over) with {@code header}. */
    void logStart(long id, String header, Instant now);

    /** Appends to a running log; answers its size after, or -1 when the build has no running log. */
    long logAppend(long id, String text, Instant now);

    Optional<LogRow> log(long id);

    /** The chunks of a running log that hold bytes {@code fromByte} (inclusive) to {@code toByte} (exclusive). */
    List<LogChunk> logChunks(long id, long fromByte, long toByte);

    /** The running log ended, kept as the blob {@code sha256}; false when it had ended already. */
    boolean logFinished(long id, String sha256, long bytes, Instant now);

    void logBuildinfo(long id, String sha256, Instant now);

    /** Every build's log row. */
    List<LogRow> logs();

    void deleteLog(long id);
}
