package org.ppaforge.farm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.store.IndexRows;
import org.ppaforge.archive.verb.CreateToken;
import org.ppaforge.common.ForgeException;
import org.ppaforge.farm.store.BuildStore.ArchiveDependency;

/**
 * Gives a worker the next build it can do (see {@link org.ppaforge.farm.store.BuildStore#leaseNext} for the order),
 * with everything it needs to fetch: the chroot tarball, the source files and the archives to resolve
 * build-dependencies from. Waits up to {@link #waitMillis} for one (a long poll: an idle worker starts a new build
 * at once).
 */
public final class LeaseBuild {
    private final Builds builds;
    private Holder worker;
    private List<String> architectures = List.of();
    private long waitMillis;

    LeaseBuild(Builds builds) {
        this.builds = builds;
    }

    /** An in-process worker (this process's identity). */
    public LeaseBuild worker(String name) {
        this.worker = Holder.local(name);
        return this;
    }

    /** A worker over the API: its token and the name it gave. */
    public LeaseBuild worker(Holder holder) {
        this.worker = holder;
        return this;
    }

    public LeaseBuild architectures(List<String> architectures) {
        this.architectures = List.copyOf(architectures);
        return this;
    }

    public LeaseBuild waitMillis(long millis) {
        this.waitMillis = Math.max(0, Math.min(millis, 60_000));
        return this;
    }

    /** A file the worker fetches from the server ({@code GET /api/v1/builds/ID/files/NAME}). */
    public record SourceFile(String name, long size, String sha256) {}

    /** An apt repository the build resolves build-dependencies from: a ppaforge archive or an external one. */
    public record Repository(String archive, String url, String suite, String components, String key) {}

    /**
     * @param dsc the .dsc's name among {@code files}
     * @param chrootSha256 the chroot tarball ({@code GET /api/v1/chroots/SERIES/ARCH/tarball}), cached by workers by hash
     * @param readToken the credential for this lease alone: it reads the repositories' private archives (and nothing
     *     else) while the build is building, and is void once the lease ends. The build's apt uses it; the worker's own
     *     token never enters the build.
     */
    public record Lease(
            Build build,
            String dsc,
            List<SourceFile> files,
            String chrootSha256,
            long chrootSize,
            List<Repository> repositories,
            String readToken) {
        @Override
        public String toString() {
            return "Lease[" + build.title() + "]";
        }
    }

    public Optional<Lease> call() throws InterruptedException {
        if (worker == null || worker.name() == null || worker.name().isBlank()) {
            throw ForgeException.invalid("a lease needs the worker's name");
        }
        if (architectures.isEmpty()) {
            throw ForgeException.invalid("a lease needs the architectures the worker builds for");
        }
        if (architectures.size() > 16) {
            throw ForgeException.invalid("a worker builds for at most 16 architectures, not " + architectures.size());
        }
        for (String a : architectures) {
            if (a == null || !a.matches("[a-z0-9][a-z0-9-]{0,31}") || a.equals("all")) {
                throw ForgeException.invalid("invalid architecture '" + a + "'");
            }
        }
        long deadline = System.currentTimeMillis() + waitMillis;
        long round = builds.waitRound();
        while (true) {
            builds.expireLeases().call();
            Optional<Build> b = builds.store()
                    .leaseNext(
                            architectures,
                            worker.name(),
                            worker.token(),
                            builds.now(),
                            builds.now().plus(builds.leaseTime()));
            if (b.isPresent()) {
                builds.fire(b.get(), BuildState.WAITING, BuildState.BUILDING);
                builds.logs().start(b.get());
                String read = ReadGrants.secret(b.get().id());
                builds.store().grantRead(b.get().id(), CreateToken.sha256(read)); // as the core looks it up
                return Optional.of(describe(b.get(), read));
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || builds.waitRound() != round) {
                return Optional.empty();
            }
            builds.awaitWork(Math.min(left, 5000));
        }
    }

    private Lease describe(Build b, String readToken) {
        var chroot = builds.store().chroot(b.series(), b.architecture()).orElse(null);
        return builds.archive().metadata().read(tx -> {
            Archive a = tx.archive(b.archive())
                    .orElseThrow(() -> ForgeException.notFound("archive '" + b.archive() + "' is gone"));
            Map<Long, IndexRows.SourceDetail> d = tx.sourceDetails(List.of(b.sourceId()));
            IndexRows.SourceDetail detail = d.get(b.sourceId());
            List<SourceFile> files = new ArrayList<>();
            for (IndexRows.File f : detail.files()) {
                files.add(new SourceFile(f.filename(), f.size(), f.sha256()));
            }
            List<Repository> repos = new ArrayList<>();
            repos.add(new Repository(a.name(), null, b.series(), String.join(" ", a.components()), null));
            List<ArchiveDependency> deps = builds.store().dependencies(a.name());
            for (var dep : deps) {
                if (dep.kind().equals("archive")) {
                    tx.archive(dep.value())
                            .ifPresent(x -> repos.add(new Repository(
                                    x.name(), null, b.series(), String.join(" ", x.components()), null)));
                }
            }
            for (var dep : ArchiveDependency.externalsFor(deps, b.series())) {
                String[] w = dep.value().split(" ", 3);
                repos.add(new Repository(null, w[0], w[1], w.length > 2 ? w[2] : "main", dep.key()));
            }
            return new Lease(
                    b,
                    detail.dscFilename(),
                    files,
                    chroot == null ? null : chroot.sha256(),
                    chroot == null ? 0 : chroot.size(),
                    repos,
                    readToken);
        });
    }
}
