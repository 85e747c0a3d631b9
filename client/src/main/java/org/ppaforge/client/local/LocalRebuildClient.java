package org.ppaforge.client.local;

import java.time.LocalDate;
import java.util.List;
import org.ppaforge.client.RebuildClient;
import org.ppaforge.qa.Qa;
import org.ppaforge.qa.rebuild.RebuildRun;
import org.ppaforge.qa.rebuild.RebuildSet;
import org.ppaforge.qa.rebuild.RebuildSetRequest;

/** The RebuildClient in this process: each method calls the verbs, as the local operator. */
public final class LocalRebuildClient implements RebuildClient {
    private final Qa qa;

    public LocalRebuildClient(Qa qa) {
        this.qa = qa;
    }

    @Override
    public RebuildSet create(RebuildSetRequest request) {
        return qa.rebuilds().create(request);
    }

    @Override
    public List<RebuildSet> list() {
        return qa.rebuilds().list();
    }

    @Override
    public RebuildRun run(String name, boolean force) throws InterruptedException {
        return qa.rebuilds().run(name, force);
    }

    @Override
    public List<RebuildRun> runs(String name, int limit) {
        return qa.rebuilds().runs(name, limit);
    }

    @Override
    public RebuildRun results(String name, LocalDate date) {
        return qa.rebuilds().results(name, date);
    }
}
