package org.ppaforge.farm;

import java.util.ArrayList;
import java.util.List;
import org.ppaforge.archive.model.BinaryPublication;

/**
 * At a server's start: builds a stopped server left between the worker's results and their publication (uploading).
 * Their results were either included, in one transaction of the archive's store, or not at all: a build whose
 * binaries the archive publishes is built; the others are queued again (the worker's files went with the process).
 */
public final class RecoverBuilds {
    private final Builds builds;

    RecoverBuilds(Builds builds) {
        this.builds = builds;
    }

    private boolean onlyExpired;

    /**
     * Only builds whose upload lease ran out: on a shared database the other servers are running, and a build one of
     * them is checking is not left behind (the embedded default: every UPLOADING build is, as this is the only server).
     */
    public RecoverBuilds onlyExpired(boolean on) {
        this.onlyExpired = on;
        return this;
    }

    public record Result(List<Build> built, List<Build> requeued) {}

    public Result call() {
        List<Build> built = new ArrayList<>();
        List<Build> requeued = new ArrayList<>();
        for (Build b : builds.store().inStates(List.of(BuildState.UPLOADING))) {
            if (onlyExpired && b.leaseUntil() != null && !b.leaseUntil().isBefore(builds.now())) {
                continue; // another server is checking these results now
            }
            boolean published = builds.archive()
                    .metadata()
                    .read(tx -> tx.archive(b.archive())
                            .map(a -> {
                                for (BinaryPublication p : tx.publishedBinaries(a.id(), b.series())) {
                                    if (p.sourcePublicationId() == b.sourcePublicationId()
                                            && p.architecture().equals(b.architecture())) {
                                        return true;
                                    }
                                }
                                return false;
                            })
                            .orElse(false));
            if (published) {
                if (builds.store()
                        .transition(
                                b.id(),
                                List.of(BuildState.UPLOADING),
                                BuildState.BUILT,
                                builds.now(),
                                null,
                                "its binaries were published before the server stopped")) {
                    builds.logs().finish(b.id());
                    builds.fire(b, BuildState.UPLOADING, BuildState.BUILT);
                    built.add(b);
                }
            } else if (builds.store().requeue(b.id(), List.of(BuildState.UPLOADING), builds.now())) {
                builds.logs()
                        .append(
                                b.id(),
                                "\nppaforge: the server stopped while the results were checked; the build is "
                                        + "queued again\n");
                builds.fire(b, BuildState.UPLOADING, BuildState.WAITING);
                requeued.add(b);
            }
        }
        return new Result(built, requeued);
    }
}
