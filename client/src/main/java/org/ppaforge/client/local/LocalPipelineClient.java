package org.ppaforge.client.local;

import java.io.IOException;
import java.util.List;
import org.ppaforge.archive.Caller;
import org.ppaforge.client.PipelineClient;
import org.ppaforge.pipeline.Pipeline;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.pipeline.Run;
import org.ppaforge.pipeline.StepLog;

/** The PipelineClient in this process: each method calls the verbs, as the local operator. */
public final class LocalPipelineClient implements PipelineClient {
    private final Pipelines pipelines;

    private final Caller caller;

    public LocalPipelineClient(Pipelines pipelines, Caller caller) {
        this.pipelines = pipelines;
        this.caller = caller;
    }

    @Override
    public Pipeline create(String name, String git, String branch, String file) throws IOException {
        return pipelines
                .create()
                .caller(caller)
                .name(name)
                .git(git)
                .branch(branch)
                .file(file)
                .call();
    }

    @Override
    public List<Pipeline> list() {
        return pipelines.list();
    }

    @Override
    public String key(String name) throws IOException {
        return pipelines.publicKey(name);
    }

    @Override
    public Run start(String name, String ref, String series) {
        return pipelines
                .start()
                .pipeline(name)
                .trigger("manual")
                .ref(ref)
                .series(series)
                .call();
    }

    @Override
    public List<Run> runs(String pipeline, int limit) {
        return pipelines.runs(pipeline, limit);
    }

    @Override
    public Run run(long id) {
        return pipelines.run(id);
    }

    @Override
    public StepLog log(long run, String step, long offset) throws IOException {
        return pipelines.stepLog(run, step, offset);
    }

    @Override
    public Run cancel(long id) {
        return pipelines.cancel().run(id).call();
    }

    @Override
    public Run runHere(long id) throws InterruptedException {
        Run done;
        do {
            done = pipelines.runner().runNext();
        } while (done != null && done.id() != id);
        return pipelines.run(id);
    }
}
