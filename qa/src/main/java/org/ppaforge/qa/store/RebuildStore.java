package org.ppaforge.qa.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.ppaforge.qa.rebuild.RebuildResult;
import org.ppaforge.qa.rebuild.RebuildRun;
import org.ppaforge.qa.rebuild.RebuildSet;

/** What rebuild sets keep: the sets, run requests, runs and their results. {@link SqlRebuildStore} is the embedded default. */
public interface RebuildStore {
    void insertSet(RebuildSet s);

    List<RebuildSet> sets();

    Optional<RebuildSet> set(String name);

    /** Asks the server's runner for a run of {@code set} ({@code force}: even what did not change). */
    void request(String set, boolean force);

    /** Takes the request of {@code set}, if any: null, "run" or "force". */
    String takeRequest(String set);

    boolean requested(String set);

    long startRun(String set, Instant now);

    void finishRun(long run, String message, Instant now);

    void putResult(RebuildResult r);

    /** The finished runs of a set beyond its newest {@code keep}, oldest first (what retention deletes). */
    List<Long> finishedRunsBeyond(String set, int keep);

    /** Forgets a run and its results (each later result keeps its last good version and time). */
    void deleteRun(long run);

    /** The runs of a set, newest first. */
    List<RebuildRun> runs(String set, int limit);

    /** A package's results in a set's runs, oldest first (its history). */
    List<RebuildResult> history(String set, String pkg);
}
