package org.ppaforge.pipeline.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.ppaforge.pipeline.Pipeline;
import org.ppaforge.pipeline.Run;

/** What pipelines keep: pipelines, their runs and steps, trigger state and install-test callbacks. {@link SqlPipelineStore} is the embedded default; another engine implements the same statements. */
public interface PipelineStore extends AutoCloseable {
    /** The triggers' memory of one pipeline. */
    record TriggerState(
            String seenCommit,
            Instant polledAt,
            Long pollSeconds,
            String schedule,
            String dailyOn,
            String dailyCommit) {}

    /**
     * One install test cell's callback: the step it belongs to, the expected secret's hash (null once the step ended),
     * the deadline and whether one came already.
     */
    record Callback(String step, String sha256, Instant until, String result, String message) {}

    void insertPipeline(Pipeline p);

    List<Pipeline> pipelines();

    Optional<Pipeline> pipeline(String name);

    void requestCancel(long run);

    boolean cancelRequested(long run);

    TriggerState triggerState(String pipeline);

    void polled(String pipeline, String commit, Instant at, Long pollSeconds, String schedule);

    void scheduled(String pipeline, String day, String commit);

    /** Queues a run of the pipeline's branch or of {@code ref}, in every series or only in {@code onlySeries}. */
    long insertRun(String pipeline, String trigger, String ref, String onlySeries, Instant now);

    Optional<Run> run(long id);

    List<Run> runsOf(String pipeline, int limit);

    /** The archive of the pipeline's newest run that names one. */
    Optional<String> latestArchive(String pipeline);

    /** The finished runs of a pipeline beyond its newest {@code keep} runs, oldest first (what retention deletes). */
    List<Long> finishedRunsBeyond(String pipeline, int keep);

    /** Forgets a run: its steps, callbacks and row. */
    void deleteRun(long run);

    /** The newest run that uploads to {@code archive}, if any. */
    Optional<Run> lastRunInto(String archive);

    /** The oldest queued run, now running (null when none waits). */
    Run startNext(Instant now);

    void setCommit(long run, String commit, String version);

    /** The archive the run's definition uploads to. */
    void setArchive(long run, String archive);

    boolean finishRun(long run, String state, String message, Instant now);

    /**
     * Ends every running run as failed with {@code message}, and its running or waiting steps with it: the runs a
     * stopped runner left (there is one runner at a time). Returns their ids.
     */
    List<Long> failRunning(String message, Instant now);

    /** Records a step's state (the row is made the first time: its name, series and configuration). */
    void step(long run, int position, Run.Step step, String state, String message, Instant now);

    /**
     * Opens (or, with a null hash, closes) the callback of one install test step: this secret's SHA-256 is accepted until
     * {@code until}.
     */
    void expectCallback(long run, String step, String sha256, Instant until);

    Optional<Callback> callback(long run, String step);

    /** The run's callbacks that are open (their step still waits). */
    List<Callback> openCallbacks(long run);

    /** Records the step's first callback before the deadline; false if one came already or the deadline passed. */
    boolean recordCallback(long run, String step, String result, String message, Instant now);

    @Override
    void close();

    /** A finished run's file kept as a blob on shared stores: a step log or an artifact, by its path in the run. */
    record RunFile(long run, String kind, String path, String sha256, long bytes) {}

    /** Records a finished run's files (replacing what was recorded). */
    void putRunFiles(long run, List<RunFile> files);

    /** The files of a run, or of every run when {@code run} is null. */
    List<RunFile> runFiles(Long run);
}
