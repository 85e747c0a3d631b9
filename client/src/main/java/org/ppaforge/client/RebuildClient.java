package org.ppaforge.client;

import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;
import org.ppaforge.qa.rebuild.BackportRequest;
import org.ppaforge.qa.rebuild.CreateBackport;
import org.ppaforge.qa.rebuild.RebuildRun;
import org.ppaforge.qa.rebuild.RebuildSet;
import org.ppaforge.qa.rebuild.RebuildSetRequest;

/** What the rebuild commands ask, in this process (the QA verbs) or on a server (the API). */
public interface RebuildClient {
    RebuildSet create(RebuildSetRequest request);

    List<RebuildSet> list();

    /** Locally: runs it now and waits. On a server: asks for a run (null: the server runs it when its runner is free). */
    default RebuildRun run(String name, boolean force) throws InterruptedException {
        return run(name, force, line -> {});
    }

    /** The same, telling {@code progress} each package's steps as they happen (locally; a server's run is not waited). */
    RebuildRun run(String name, boolean force, Consumer<String> progress) throws InterruptedException;

    List<RebuildRun> runs(String name, int limit);

    /** {@code ppa backport}: on the data directory itself (it unpacks and packs sources with dpkg-source). */
    CreateBackport.Result backport(BackportRequest request) throws java.io.IOException, InterruptedException;

    RebuildRun results(String name, LocalDate date);
}
