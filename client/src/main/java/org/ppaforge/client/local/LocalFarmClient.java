package org.ppaforge.client.local;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.ppaforge.archive.Caller;
import org.ppaforge.client.FarmClient;
import org.ppaforge.client.wire.FarmRequests;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildLogs;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.Chroot;
import org.ppaforge.farm.CreateChroot;
import org.ppaforge.farm.SetDependencies;
import org.ppaforge.farm.store.BuildStore;

/** The FarmClient in this process: each method calls the verbs, as the local operator. */
public final class LocalFarmClient implements FarmClient {
    private final Builds builds;
    private final Caller caller;

    public LocalFarmClient(Builds builds, Caller caller) {
        this.builds = builds;
        this.caller = caller;
    }

    @Override
    public List<Build> list(String archive, BuildState state, String source, int limit) {
        return builds.list()
                .caller(caller)
                .archive(archive)
                .state(state)
                .source(source)
                .limit(limit)
                .call();
    }

    @Override
    public Build show(long id) {
        return builds.show().caller(caller).id(id).call();
    }

    @Override
    public String logTail(long id) {
        return builds.logs().tail(id, 20);
    }

    @Override
    public BuildLogs.Chunk log(long id, long offset) {
        return builds.logs().read(id, offset);
    }

    @Override
    public Build retry(long id) {
        return builds.retry().caller(caller).id(id).call();
    }

    @Override
    public List<Chroot> listChroots() {
        return builds.listChroots().call();
    }

    @Override
    public CreateChroot.Result createChroot(FarmRequests.CreateChroot r, Consumer<String> progress)
            throws IOException, InterruptedException {
        return builds.createChroot()
                .series(r.series())
                .architecture(r.architecture())
                .mirror(r.mirror())
                .suite(r.suite())
                .keyring(r.keyring())
                .include(r.include() == null ? List.of() : r.include())
                .tarball(r.tarball())
                .progress(progress)
                .call();
    }

    @Override
    public void removeChroot(String series, String architecture) {
        builds.removeChroot().series(series).architecture(architecture).call();
    }

    @Override
    public List<BuildStore.ArchiveDependency> dependencies(String archive) {
        return builds.dependencies().caller(caller).archive(archive).call();
    }

    @Override
    public List<BuildStore.ArchiveDependency> setDependencies(
            String archive, List<String> archives, List<SetDependencies.External> externals, String series) {
        return builds.setDependencies()
                .caller(caller)
                .archive(archive)
                .archives(archives)
                .externals(externals)
                .series(series)
                .call();
    }

    @Override
    public Build cancel(long id) {
        return builds.cancel().caller(caller).id(id).call();
    }
}
