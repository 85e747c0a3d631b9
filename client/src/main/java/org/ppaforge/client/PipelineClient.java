package org.ppaforge.client;

import java.io.IOException;
import java.util.List;
import org.ppaforge.pipeline.Pipeline;
import org.ppaforge.pipeline.Run;
import org.ppaforge.pipeline.StepLog;

/** What the pipeline commands ask, in this process (the verbs) or on a server (the API). */
public interface PipelineClient {
    Pipeline create(String name, String git, String branch, String file) throws IOException;

    List<Pipeline> list();

    String key(String name) throws IOException;

    /** Queues a run of the pipeline's branch (or {@code ref}), in every series (or only {@code series}). */
    Run start(String name, String ref, String series);

    List<Run> runs(String pipeline, int limit);

    Run run(long id);

    /** A page of a step's log from a byte offset. */
    StepLog log(long run, String step, long offset) throws IOException;

    Run cancel(long id);

    /** Runs queued runs here until {@code id} has run (local only). */
    Run runHere(long id) throws InterruptedException;
}
