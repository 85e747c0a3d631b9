package org.ppaforge.farm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.store.IndexRows;
import org.ppaforge.common.ForgeException;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.farm.store.BuildStore;

/**
 * Creates the builds an archive's published sources need: one per architecture the source's {@code Architecture:}
 * field names among the archive's ({@code any} all of them; {@code all} packages once, on the archive's first
 * architecture), except where binaries for it are published already (an upload with binaries). Builds of sources
 * no longer published (a newer version arrived) are superseded: waiting ones at once, running ones are told to stop.
 */
public final class QueueBuilds {
    /** Launchpad's orientation: a base for the release pocket, private archives well ahead. */
    static final int BASE_SCORE = 2500;

    static final int PRIVATE_BONUS = 10000;

    private final Builds builds;
    private String archive;

    QueueBuilds(Builds builds) {
        this.builds = builds;
    }

    public QueueBuilds archive(String archive) {
        this.archive = archive;
        return this;
    }

    public record Result(List<Build> queued, List<Build> superseded) {}

    public Result call() {
        BuildStore store = builds.store();
        Set<Long> known = store.publicationsWithBuilds(archive);
        List<BuildStore.NewBuild> wanted = new ArrayList<>();
        Set<Long> published = new HashSet<>();
        builds.archive().metadata().read(tx -> {
            Archive a = tx.archive(archive)
                    .orElseThrow(() -> ForgeException.notFound("archive '" + archive + "' does not exist"));
            int score = BASE_SCORE + (tx.publishSettings(a.id()).privateArchive() ? PRIVATE_BONUS : 0);
            List<SourcePublication> fresh = new ArrayList<>();
            for (SourcePublication p : tx.sources(a.id(), null, true)) {
                published.add(p.id());
                if (p.hasDsc() && !known.contains(p.id())) {
                    fresh.add(p);
                }
            }
            if (fresh.isEmpty()) {
                return null;
            }
            // The urgency of the upload that brought each source (Launchpad: low 5 ... emergency 20).
            Map<String, Integer> urgency = new HashMap<>();
            for (var u : tx.uploads(a.id(), 500)) {
                if ("accepted".equals(u.status()) && u.source() != null) {
                    urgency.putIfAbsent(u.source() + " " + u.version(), urgencyScore(u.urgency()));
                }
            }
            Map<Long, IndexRows.SourceDetail> details = tx.sourceDetails(
                    fresh.stream().map(SourcePublication::sourceId).toList());
            Map<Long, Set<String>> builtArchs = new HashMap<>();
            for (BinaryPublication b : tx.publishedBinaries(a.id(), null)) {
                builtArchs
                        .computeIfAbsent(b.sourcePublicationId(), k -> new HashSet<>())
                        .add(b.architecture());
            }
            Map<String, Boolean> chroots = new HashMap<>(); // per series and architecture, looked up once
            for (SourcePublication p : fresh) {
                IndexRows.SourceDetail d = details.get(p.sourceId());
                if (d == null) {
                    continue;
                }
                String field =
                        Deb822Reader.parseSingle(d.stanza(), d.dscFilename()).get("Architecture");
                Set<String> have = builtArchs.getOrDefault(p.id(), Set.of());
                for (Map.Entry<String, Boolean> e :
                        architectures(field, a.architectures()).entrySet()) {
                    boolean allDone = !e.getValue() || have.contains("all");
                    // An architecture picked only to build the all packages has nothing else to build once they are
                    // there (a copy with its binaries of an Architecture: all source).
                    boolean archDone = have.contains(e.getKey()) || !archSpecific(field, e.getKey());
                    if (archDone && allDone) {
                        continue;
                    }
                    boolean chroot = chroots.computeIfAbsent(
                            p.series() + "/" + e.getKey(),
                            k -> store.chroot(p.series(), e.getKey()).isPresent());
                    wanted.add(new BuildStore.NewBuild(
                            a.name(),
                            p.series(),
                            p.name(),
                            p.version().toString(),
                            p.id(),
                            p.sourceId(),
                            e.getKey(),
                            e.getValue() && !have.contains("all"),
                            chroot ? BuildState.WAITING : BuildState.CHROOT_WAIT,
                            score + urgency.getOrDefault(p.name() + " " + p.version(), urgencyScore(null)),
                            p.plan()));
                }
            }
            return null;
        });
        List<Build> queued = wanted.isEmpty() ? List.of() : store.insert(wanted, builds.now());
        for (Build b : queued) {
            builds.fire(b, null, b.state());
        }
        List<Build> superseded = new ArrayList<>();
        for (Build b : store.list(archive, null, null, Integer.MAX_VALUE)) {
            if (!b.state().isFinal() && !published.contains(b.sourcePublicationId())) {
                if (b.state().isPending()
                        && store.transition(
                                b.id(),
                                List.of(b.state()),
                                BuildState.SUPERSEDED,
                                builds.now(),
                                null,
                                "a newer version of " + b.source() + " was published first")) {
                    superseded.add(b);
                    builds.fire(b, b.state(), BuildState.SUPERSEDED);
                } else if (b.state() == BuildState.BUILDING && !b.cancelRequested()) {
                    store.requestCancel(
                            b.id()); // the worker stops at its next heartbeat; its result then counts as superseded
                }
            }
        }
        return new Result(queued, superseded);
    }

    /** Launchpad's urgency weights: low 5, medium 10 (also when unknown), high 15, emergency and critical 20. */
    static int urgencyScore(String urgency) {
        return switch (urgency == null ? "medium" : urgency.toLowerCase(Locale.ROOT)) {
            case "low" -> 5;
            case "high" -> 15;
            case "emergency", "critical" -> 20;
            default -> 10;
        };
    }

    /**
     * The architectures to build a source with this {@code Architecture:} field on, each with whether that build makes
     * the {@code all} packages too. Wildcards ({@code any}, {@code linux-any}, {@code any-amd64}) are matched simply:
     * {@code any} and {@code linux-any} mean every architecture of the archive.
     */
    /** Whether the .dsc's Architecture field has packages for {@code arch} itself (not only Architecture: all). */
    static boolean archSpecific(String field, String arch) {
        Set<String> tokens = new LinkedHashSet<>(
                List.of(field == null ? new String[0] : field.trim().split("\\s+")));
        return tokens.contains(arch)
                || tokens.contains("any")
                || tokens.contains("linux-any")
                || tokens.contains("any-" + arch)
                || tokens.contains("linux-" + arch);
    }

    static Map<String, Boolean> architectures(String field, List<String> archiveArchs) {
        Set<String> tokens = new LinkedHashSet<>(
                List.of(field == null ? new String[0] : field.trim().split("\\s+")));
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String arch : archiveArchs) {
            if (archSpecific(field, arch)) {
                out.put(arch, false);
            }
        }
        if (tokens.contains("all") && !archiveArchs.isEmpty()) {
            String first = out.containsKey(archiveArchs.get(0)) || out.isEmpty()
                    ? archiveArchs.get(0)
                    : out.keySet().iterator().next();
            out.put(first, true);
        }
        return out;
    }
}
