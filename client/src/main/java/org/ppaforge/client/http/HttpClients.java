package org.ppaforge.client.http;

import org.ppaforge.client.ArchiveClient;
import org.ppaforge.client.Clients;
import org.ppaforge.client.CoverageClient;
import org.ppaforge.client.FarmClient;
import org.ppaforge.client.PipelineClient;
import org.ppaforge.client.RebuildClient;

/** Every module's client over one server's API. */
public final class HttpClients implements Clients {
    private final ArchiveClient archive;
    private final FarmClient farm;
    private final PipelineClient pipelines;
    private final CoverageClient coverage;
    private final RebuildClient rebuilds;

    public HttpClients(HttpTransport transport) {
        this.archive = new HttpArchiveClient(transport);
        this.farm = new HttpFarmClient(transport);
        this.pipelines = new HttpPipelineClient(transport);
        this.coverage = new HttpCoverageClient(transport);
        this.rebuilds = new HttpRebuildClient(transport);
    }

    @Override
    public ArchiveClient archive() {
        return archive;
    }

    @Override
    public FarmClient farm() {
        return farm;
    }

    @Override
    public PipelineClient pipelines() {
        return pipelines;
    }

    @Override
    public CoverageClient coverage() {
        return coverage;
    }

    @Override
    public RebuildClient rebuilds() {
        return rebuilds;
    }

    @Override
    public void close() {}
}
