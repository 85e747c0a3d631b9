package org.ppaforge.client.local;

import java.util.function.Supplier;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.client.ArchiveClient;
import org.ppaforge.client.Clients;
import org.ppaforge.client.CoverageClient;
import org.ppaforge.client.FarmClient;
import org.ppaforge.client.PipelineClient;
import org.ppaforge.client.RebuildClient;
import org.ppaforge.farm.Builds;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.qa.Qa;

/**
 * Every module's client in this process. The modules come from the composition root when a client is first asked for,
 * so a command that uses only the archive core opens only that.
 */
public final class LocalClients implements Clients {
    private final Supplier<Ppaforge> archive;
    private final Supplier<Builds> farm;
    private final Supplier<Pipelines> pipelines;
    private final Supplier<Qa> qa;
    private final Runnable onClose;
    private final Caller caller;

    /** The local operator's clients (commands on the data directory itself). */
    public LocalClients(
            Supplier<Ppaforge> archive,
            Supplier<Builds> farm,
            Supplier<Pipelines> pipelines,
            Supplier<Qa> qa,
            Runnable onClose) {
        this(archive, farm, pipelines, qa, onClose, Caller.OPERATOR);
    }

    /**
     * @param onClose what closing these clients closes (the modules a one-shot command opened), or nothing
     * @param caller who calls: the verbs decide what it may see and do
     */
    public LocalClients(
            Supplier<Ppaforge> archive,
            Supplier<Builds> farm,
            Supplier<Pipelines> pipelines,
            Supplier<Qa> qa,
            Runnable onClose,
            Caller caller) {
        this.caller = caller;
        this.archive = archive;
        this.farm = farm;
        this.pipelines = pipelines;
        this.qa = qa;
        this.onClose = onClose;
    }

    @Override
    public ArchiveClient archive() {
        return new LocalArchiveClient(archive.get(), caller);
    }

    @Override
    public FarmClient farm() {
        return new LocalFarmClient(farm.get(), caller);
    }

    @Override
    public PipelineClient pipelines() {
        return new LocalPipelineClient(pipelines.get(), caller);
    }

    @Override
    public CoverageClient coverage() {
        return new LocalCoverageClient(qa.get());
    }

    @Override
    public RebuildClient rebuilds() {
        return new LocalRebuildClient(qa.get(), caller);
    }

    @Override
    public void close() {
        onClose.run();
    }
}
