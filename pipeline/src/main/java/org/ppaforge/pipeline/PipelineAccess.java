package org.ppaforge.pipeline;

import java.util.List;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.common.ForgeException;

/**
 * Who may see and act on pipelines and runs: one rule for the API, the pages and the CLI. A pipeline belongs to the
 * archive its uploads go to (its newest run that read the definition says which); a run to its own archive (or, before
 * its definition was read, to its pipeline's). Seeing follows that archive, as its builds do: whoever may read it (anyone,
 * signed in or not, for a public archive, like anonymous read on Jenkins or Launchpad) sees its pipelines, runs, logs and
 * artifacts; to anyone else a private archive's are missing, with the missing one's answer word for word. A pipeline
 * that no run has tied to an archive yet is seen only with a token that is not a worker's or a reader's (it may be
 * meant for a private archive). Queueing, cancelling and triggering need a token that may write that archive (as
 * retrying and cancelling builds do); before any run named an archive, any such token.
 */
public final class PipelineAccess {
    private final Pipelines pipelines;
    private final Ppaforge ppa;
    private final String secret;

    PipelineAccess(Pipelines pipelines, String secret) {
        this.pipelines = pipelines;
        this.ppa = pipelines.archive();
        this.secret = secret;
    }

    private String archiveOf(Run r) {
        return r.archive() != null ? r.archive() : pipelines.archiveOf(r.pipeline());
    }

    /** Whether the caller may read the archive; with none yet, whether it has a token that sees every pipeline. */
    private boolean mayRead(String archive) {
        try {
            if (archive == null) {
                signedIn();
            } else {
                ppa.authenticate().token(secret).toRead(archive);
            }
            return true;
        } catch (ForgeException e) {
            return false;
        }
    }

    /** Refuses a caller without a token that sees pipelines (401/403, as before), saying why. */
    public void signedIn() {
        ppa.authenticate().token(secret).toWrite(null).call();
    }

    private boolean mayRead(Run r) {
        return mayRead(archiveOf(r));
    }

    private boolean mayRead(Pipeline p) {
        return mayRead(pipelines.archiveOf(p.name()));
    }

    /** The run, if the caller may see it; else the missing run's answer. */
    public Run run(long id) {
        Run r = pipelines.run(id);
        if (!mayRead(r)) {
            throw ForgeException.notFound("there is no pipeline run " + id);
        }
        return r;
    }

    /** The pipeline, if the caller may see it; else the missing pipeline's answer. */
    public Pipeline pipeline(String name) {
        Pipeline p = pipelines.get(name);
        if (!mayRead(p)) {
            throw ForgeException.notFound("there is no pipeline '" + name + "'");
        }
        return p;
    }

    public List<Pipeline> pipelines() {
        return pipelines.list().stream().filter(this::mayRead).toList();
    }

    /** The newest runs the caller may see (of one pipeline, or of all). */
    public List<Run> runs(String pipeline, int limit) {
        if (pipeline != null) {
            pipeline(pipeline);
        }
        return pipelines.runs(pipeline, Math.max(limit, 1) * 4).stream()
                .filter(this::mayRead)
                .limit(limit)
                .toList();
    }

    /** Refuses (404 to those who may not see it, 403 to those who may see but not write) acting on the run. */
    public Run writable(long id) {
        signedIn(); // acting needs a token first (401 without one), then the run must be seen (404)
        Run r = run(id);
        ppa.authenticate().token(secret).toWrite(archiveOf(r)).call();
        return r;
    }

    /** The same for queueing a run of the pipeline. */
    public Pipeline writable(String name) {
        signedIn();
        Pipeline p = pipeline(name);
        ppa.authenticate().token(secret).toWrite(pipelines.archiveOf(name)).call();
        return p;
    }
}
