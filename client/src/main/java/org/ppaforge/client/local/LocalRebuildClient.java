package org.ppaforge.client.local;

import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;
import org.ppaforge.archive.Caller;
import org.ppaforge.client.RebuildClient;
import org.ppaforge.qa.Qa;
import org.ppaforge.qa.rebuild.BackportRequest;
import org.ppaforge.qa.rebuild.CreateBackport;
import org.ppaforge.qa.rebuild.RebuildRun;
import org.ppaforge.qa.rebuild.RebuildSet;
import org.ppaforge.qa.rebuild.RebuildSetRequest;

/** The RebuildClient in this process: each method calls the verbs, as the local operator. */
public final class LocalRebuildClient implements RebuildClient {
    private final Qa qa;

    private final Caller caller;

    public LocalRebuildClient(Qa qa, Caller caller) {
        this.qa = qa;
        this.caller = caller;
    }

    @Override
    public RebuildSet create(RebuildSetRequest request) {
        return qa.rebuilds(caller).create(request);
    }

    @Override
    public List<RebuildSet> list() {
        return qa.rebuilds(caller).list();
    }

    @Override
    public CreateBackport.Result backport(BackportRequest request) throws java.io.IOException, InterruptedException {
        return request.on(qa.rebuilds(caller).backport()).call();
    }

    @Override
    public RebuildRun run(String name, boolean force, Consumer<String> progress) throws InterruptedException {
        return qa.rebuilds(caller).run(name, force, progress);
    }

    @Override
    public List<RebuildRun> runs(String name, int limit) {
        return qa.rebuilds(caller).runs(name, limit);
    }

    @Override
    public RebuildRun results(String name, LocalDate date) {
        return qa.rebuilds(caller).results(name, date);
    }
}
