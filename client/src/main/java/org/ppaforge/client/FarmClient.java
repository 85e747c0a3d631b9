package org.ppaforge.client;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.ppaforge.client.wire.FarmRequests;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildLogs;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.Chroot;
import org.ppaforge.farm.CreateChroot;
import org.ppaforge.farm.SetDependencies;
import org.ppaforge.farm.store.BuildStore;

/**
 * What the build commands ask of the build farm, in one place: in this process (the verbs) or on a server
 * (the API), so a command knows neither a URL nor where it runs.
 */
public interface FarmClient {
    List<Build> list(String archive, BuildState state, String source, int limit);

    Build show(long id);

    String logTail(long id);

    BuildLogs.Chunk log(long id, long offset);

    Build retry(long id);

    Build cancel(long id);

    List<Chroot> listChroots();

    /** Makes a build environment on this machine (mmdebstrap runs here); {@code progress} gets its steps. */
    CreateChroot.Result createChroot(FarmRequests.CreateChroot request, Consumer<String> progress)
            throws IOException, InterruptedException;

    void removeChroot(String series, String architecture);

    /**
     * What the archive's builds take besides the archive itself: other archives, external apt lines with their keys
     * (for every series, or those of {@code series} only).
     */
    /** What the archive's builds take build-dependencies from after the archive itself, in order. */
    List<BuildStore.ArchiveDependency> dependencies(String archive);

    List<BuildStore.ArchiveDependency> setDependencies(
            String archive, List<String> archives, List<SetDependencies.External> externals, String series);
}
