package org.ppaforge.client;

import org.ppaforge.client.http.HttpClients;
import org.ppaforge.client.http.HttpTransport;

/**
 * One client per module, all of one kind: in this process ({@code LocalClients}, the composition root's) or over a
 * server's API ({@link #http}). A front end talks to these only; which kind it holds is its one decision.
 */
public interface Clients extends AutoCloseable {
    ArchiveClient archive();

    FarmClient farm();

    PipelineClient pipelines();

    CoverageClient coverage();

    RebuildClient rebuilds();

    /** Closes what these clients hold open (the local modules a command opened); nothing for HTTP. */
    @Override
    void close();

    /** Clients of the server {@code transport} talks to, with its token as the caller. */
    static Clients http(HttpTransport transport) {
        return new HttpClients(transport);
    }
}
