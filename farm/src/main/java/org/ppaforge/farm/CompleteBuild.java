package org.ppaforge.farm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ppaforge.archive.verb.Include;
import org.ppaforge.common.ForgeException;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.changes.Changes;
import org.ppaforge.debian.checksum.ListedFile;
import org.ppaforge.debian.control.ControlText;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.deb.DebPackage;
import org.ppaforge.debian.deb.DebReader;

/**
 * A worker reports how a build it holds ended. Built results (a {@code .changes} with its {@code .deb}s and
 * {@code .buildinfo}) are checked like an upload, but narrower: only this build's source, version and
 * architecture(s), nothing else in the directory, then included through the archive's Include verb, so every archive
 * rule holds. Refused results end the build in failed to upload, with nothing published. A build that was cancelled or
 * superseded while it ran ends so, whatever the worker brings.
 */
public final class CompleteBuild {
    /** What the worker says happened. */
    public enum Outcome {
        BUILT,
        FAILED,
        DEPENDENCY_WAIT,
        /** The worker stops (its server or itself is shutting down) before the build ended: queued again at once. */
        GIVEN_BACK
    }

    private final Builds builds;
    private long id;
    private Holder worker;
    private Outcome outcome;
    private String unmet;
    private String message;
    private Path results;

    CompleteBuild(Builds builds) {
        this.builds = builds;
    }

    public CompleteBuild build(long id) {
        this.id = id;
        return this;
    }

    /** An in-process worker (this process's identity). */
    public CompleteBuild worker(String name) {
        this.worker = Holder.local(name);
        return this;
    }

    /** A worker over the API: its token and the name it gave. */
    public CompleteBuild worker(Holder holder) {
        this.worker = holder;
        return this;
    }

    public CompleteBuild outcome(Outcome outcome) {
        this.outcome = outcome;
        return this;
    }

    /** The build-dependencies that could not be satisfied (dependency wait). */
    public CompleteBuild unmet(String unmet) {
        this.unmet = unmet;
        return this;
    }

    public CompleteBuild message(String message) {
        this.message = message;
        return this;
    }

    /** The directory holding the results (built): one {@code .changes} and the files it lists. */
    public CompleteBuild results(Path directory) {
        this.results = directory;
        return this;
    }

    public Build call() {
        if (outcome == null) {
            throw ForgeException.invalid("say how the build ended: built, failed, dependency-wait or given-back");
        }
        Build b = worker.held(builds, id);
        if (outcome == Outcome.GIVEN_BACK && !b.cancelRequested()) {
            if (!builds.store().requeue(b.id(), List.of(BuildState.BUILDING), builds.now())) {
                throw ForgeException.refused("build " + b.id() + " changed state meanwhile; nothing recorded");
            }
            builds.logs()
                    .append(
                            b.id(),
                            "\nppaforge: worker '" + b.worker() + "' stopped before the build ended and gave it back; "
                                    + "it is queued again\n");
            builds.fire(b, BuildState.BUILDING, BuildState.WAITING);
            return ShowBuild.find(builds, b.id());
        }
        BuildState to;
        String why = message;
        if (b.cancelRequested()) {
            boolean stillPublished = builds.stillPublished(b);
            to = stillPublished ? BuildState.CANCELLED : BuildState.SUPERSEDED;
            why = stillPublished
                    ? "cancelled while building"
                    : "a newer version of " + b.source() + " was published while it built";
        } else if (outcome == Outcome.FAILED) {
            to = BuildState.FAILED_TO_BUILD;
            why = message != null && !message.isBlank()
                    ? message
                    : failure(builds.logs().end(id, 256 << 10).text());
        } else if (outcome == Outcome.DEPENDENCY_WAIT) {
            if (unmet == null || unmet.isBlank()) {
                throw ForgeException.invalid("a dependency wait needs the unmet build-dependencies");
            }
            to = BuildState.DEPENDENCY_WAIT;
            why = "waiting for build-dependencies: " + unmet.strip();
        } else {
            return upload(b);
        }
        return end(b, BuildState.BUILDING, to, outcome == Outcome.DEPENDENCY_WAIT ? unmet.strip() : null, why);
    }

    /**
     * What a failed build's log says went wrong: the last lines of the build itself (before sbuild's clean-up and
     * summary), then sbuild's failing stage.
     */
    static String failure(String log) {
        int end = log.lastIndexOf("\nBuild finished at ");
        String body = end < 0 ? log : log.substring(0, end);
        int rule = body.lastIndexOf("\n---------");
        if (rule > 0 && body.length() - rule < 200) {
            body = body.substring(0, rule);
        }
        String[] lines = body.strip().split("\n");
        String tail = String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 12), lines.length));
        Matcher stage = Pattern.compile("(?m)^Fail-Stage: (\\S+)").matcher(log);
        String failStage = null;
        while (stage.find()) {
            failStage = stage.group(1);
        }
        return (failStage == null ? "" : "failed at sbuild's " + failStage + " stage:\n") + tail;
    }

    private Build end(Build b, BuildState from, BuildState to, String unmetNow, String why) {
        if (!builds.store().transition(b.id(), List.of(from), to, builds.now(), unmetNow, why)) {
            throw ForgeException.refused("build " + b.id() + " changed state meanwhile; nothing recorded");
        }
        builds.logs().append(b.id(), "\nppaforge: " + to.label() + (why == null ? "" : ": " + why) + "\n");
        builds.logs().finish(b.id());
        builds.fire(b, from, to);
        return ShowBuild.find(builds, b.id());
    }

    private Build upload(Build b) {
        if (results == null) {
            throw ForgeException.invalid("a built result needs its files");
        }
        if (!builds.store()
                .transition(b.id(), List.of(BuildState.BUILDING), BuildState.UPLOADING, builds.now(), null, null)) {
            throw ForgeException.refused("build " + b.id() + " changed state meanwhile; nothing recorded");
        }
        builds.fire(b, BuildState.BUILDING, BuildState.UPLOADING);
        try {
            Path changes = check(b);
            Include.Result r = builds.archive()
                    .include()
                    .archive(b.archive())
                    .series(b.series())
                    .files(List.of(changes))
                    .call();
            builds.logs().keepBuildinfo(b.id(), results);
            return end(
                    b,
                    BuildState.UPLOADING,
                    BuildState.BUILT,
                    null,
                    "published " + r.publishedBinaries().size() + " binaries"
                            + (r.publishedBinaries().isEmpty() ? "" : ": " + String.join(", ", r.publishedBinaries())));
        } catch (ForgeException e) {
            return end(
                    b,
                    BuildState.UPLOADING,
                    BuildState.FAILED_TO_UPLOAD,
                    null,
                    "the results were refused: " + e.getMessage().replace(results + "/", ""));
        } catch (IOException | RuntimeException e) {
            return end(
                    b,
                    BuildState.UPLOADING,
                    BuildState.FAILED_TO_UPLOAD,
                    null,
                    "the results could not be read: " + e.getMessage());
        }
    }

    /** The binary packages the build's source declares: the {@code Binary} field of its .dsc, as the archive stores it. */
    private Set<String> declaredBinaries(Build b) {
        String stanza = builds.archive()
                .metadata()
                .read(tx -> tx.sourceDetails(List.of(b.sourceId())))
                .get(b.sourceId())
                .stanza();
        String binary = Deb822Reader.parseSingle(stanza, "the source's record").get("Binary");
        Set<String> names = new HashSet<>();
        if (binary != null) {
            for (String n : binary.split("[,\\s]+")) {
                if (!n.isBlank()) {
                    names.add(n.strip());
                }
            }
        }
        return names;
    }

    /**
     * The results must be exactly this build's: returns the .changes. Every .deb must be a package the source declares
     * (or its automatic {@code -dbgsym}), of the build's version and architectures, built from this source, as
     * Launchpad's upload processor checks.
     */
    private Path check(Build b) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(results)) {
            s.forEach(all::add);
        }
        List<Path> changesFiles = all.stream()
                .filter(p -> p.getFileName().toString().endsWith(".changes"))
                .toList();
        if (changesFiles.size() != 1) {
            throw ForgeException.invalid("the results hold " + changesFiles.size() + " .changes files, not one");
        }
        Path changesPath = changesFiles.get(0);
        Changes c;
        try {
            c = Changes.parse(
                    ControlText.read(changesPath), changesPath.getFileName().toString());
        } catch (FormatException e) {
            throw ForgeException.invalid(e.getMessage());
        }
        if (!c.source().equals(b.source()) || c.version().compareTo(Version.parse(b.version())) != 0) {
            throw ForgeException.invalid("the results are of " + c.source() + " " + c.version() + ", not of "
                    + b.source() + " " + b.version());
        }
        Set<String> allowed = new HashSet<>(List.of(b.architecture()));
        if (b.archAll()) {
            allowed.add("all");
        }
        for (String arch : c.architectures()) {
            if (!allowed.contains(arch)) {
                throw ForgeException.invalid("the results are for architecture '" + arch + "'; this build makes "
                        + String.join(" and ", allowed.stream().sorted().toList()));
            }
        }
        Set<String> declared = declaredBinaries(b);
        Set<String> listed = new HashSet<>();
        for (ListedFile f : c.files()) {
            listed.add(f.name());
            if (f.name().endsWith(".dsc")
                    || f.name().contains(".orig.")
                    || f.name().endsWith(".debian.tar.xz")) {
                throw ForgeException.invalid(
                        "the results carry source file " + f.name() + ": a build returns binaries only");
            }
            if (f.name().endsWith(".deb")) {
                DebPackage d = DebReader.read(
                        results.resolve(f.name()), builds.archive().unpackLimits());
                if (!d.sourceName().equals(b.source())
                        || d.sourceVersion().compareTo(Version.parse(b.version())) != 0) {
                    throw ForgeException.invalid(f.name() + " is built from " + d.sourceName() + " " + d.sourceVersion()
                            + ", not from " + b.source() + " " + b.version());
                }
                String pkg = d.packageName();
                if (!declared.contains(pkg)
                        && !(pkg.endsWith("-dbgsym") && declared.contains(pkg.substring(0, pkg.length() - 7)))) {
                    throw ForgeException.invalid(f.name() + " is package '" + pkg + "', which " + b.source() + " "
                            + b.version()
                            + " does not declare (its .dsc's Binary: "
                            + String.join(", ", declared.stream().sorted().toList())
                            + ", and their -dbgsym packages)");
                }
                if (d.version().compareTo(Version.parse(b.version())) != 0) {
                    throw ForgeException.invalid(
                            f.name() + " has version " + d.version() + "; this build makes " + b.version());
                }
                if (!allowed.contains(d.architecture())) {
                    throw ForgeException.invalid(f.name() + " is for architecture '" + d.architecture()
                            + "'; this build makes "
                            + String.join(" and ", allowed.stream().sorted().toList()));
                }
            }
        }
        for (Path p : all) {
            String n = p.getFileName().toString();
            if (!n.equals(changesPath.getFileName().toString()) && !listed.contains(n)) {
                throw ForgeException.invalid("the results carry " + n + ", which the .changes does not list");
            }
        }
        return changesPath;
    }
}
