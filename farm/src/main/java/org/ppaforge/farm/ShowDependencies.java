package org.ppaforge.farm;

import java.util.List;
import org.ppaforge.archive.Caller;
import org.ppaforge.farm.store.BuildStore.ArchiveDependency;

/**
 * What an archive's builds take build-dependencies from after the archive itself, in order: other archives and
 * external apt lines (their keys left out). Whoever may read the archive may see them.
 */
public final class ShowDependencies {
    private final Builds builds;
    private Caller caller = Caller.OPERATOR;
    private String archive;

    ShowDependencies(Builds builds) {
        this.builds = builds;
    }

    /** Who calls (default: the local operator); a private archive is missing to whoever may not read it. */
    public ShowDependencies caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public ShowDependencies archive(String archive) {
        this.archive = archive;
        return this;
    }

    public List<ArchiveDependency> call() {
        caller.read(builds.archive(), archive);
        return builds.store().dependencies(archive).stream()
                .map(d -> new ArchiveDependency(d.kind(), d.value(), null, d.series()))
                .toList();
    }
}
