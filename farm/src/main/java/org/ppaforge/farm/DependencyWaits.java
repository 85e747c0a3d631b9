package org.ppaforge.farm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.relation.Relation;
import org.ppaforge.debian.relation.Relations;

/**
 * Retries builds in dependency wait once what they wait for is published: after a change to an archive, each waiting
 * build of it whose recorded unmet relations are now all satisfied by a binary published in its archive and series
 * (checked with the relations parser, any alternative of a group will do) goes back to the queue. Not a timer: a build
 * whose dependencies never come waits until someone retries or cancels it.
 */
public final class DependencyWaits {
    private final Builds builds;
    private String changed;

    DependencyWaits(Builds builds) {
        this.builds = builds;
    }

    /** The archive that changed (null: look at every waiting build). */
    public DependencyWaits changed(String archive) {
        this.changed = archive;
        return this;
    }

    /** The builds queued again. */
    public List<Build> call() {
        List<Build> retried = new ArrayList<>();
        Set<String> dependents = changed == null ? Set.of() : builds.store().dependents(changed);
        for (Build b : builds.store().inStates(List.of(BuildState.DEPENDENCY_WAIT))) {
            if (changed != null && !changed.equals(b.archive()) && !dependents.contains(b.archive())) {
                continue;
            }
            if (satisfied(b) && builds.store().requeue(b.id(), List.of(BuildState.DEPENDENCY_WAIT), builds.now())) {
                builds.fire(b, BuildState.DEPENDENCY_WAIT, BuildState.WAITING);
                retried.add(b);
            }
        }
        return retried;
    }

    private boolean satisfied(Build b) {
        Relations unmet;
        try {
            unmet = Relations.parse(b.unmet());
        } catch (RuntimeException e) {
            return false; // unreadable: only a retry by hand
        }
        Map<String, List<Version>> published = new HashMap<>();
        List<String> where =
                new ArrayList<>(List.of(b.archive())); // the archive, then the ppaforge archives it depends on
        builds.store().dependencies(b.archive()).stream()
                .filter(d -> d.kind().equals("archive"))
                .forEach(d -> where.add(d.value()));
        builds.archive().metadata().read(tx -> {
            for (String name : where) {
                Archive a = tx.archive(name).orElse(null);
                if (a == null) {
                    continue;
                }
                for (BinaryPublication p : tx.publishedBinaries(a.id(), b.series(), unmet.names())) {
                    if (p.architecture().equals(b.architecture())
                            || p.architecture().equals("all")) {
                        published
                                .computeIfAbsent(p.name(), k -> new ArrayList<>())
                                .add(p.version());
                    }
                }
            }
            return null;
        });
        for (List<Relation> group : unmet.groups()) {
            boolean any = false;
            for (Relation r : group) {
                for (Version v : published.getOrDefault(r.name(), List.of())) {
                    any |= r.satisfiedBy(v);
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }
}
