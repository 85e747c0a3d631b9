package org.ppaforge.qa.rebuild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.verb.ShowSource;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.Chroot;
import org.ppaforge.qa.autopkgtest.Autopkgtest;
import org.ppaforge.qa.store.RebuildStore;
import org.ppaforge.qa.verdict.BuildinfoDiff;
import org.ppaforge.qa.verdict.Judgement;
import org.ppaforge.qa.verdict.Outcome;
import org.ppaforge.qa.verdict.TestStatus;
import org.ppaforge.qa.verdict.Verdicts;

/**
 * One run of a rebuild set, package after package: skipped when neither the source nor the build environment changed
 * since its last run (unless forced); otherwise the source is rebuilt under a {@code ~rebuild} version into the set's
 * archive, built there by the build farm (build-time tests on), its autopkgtests run against the built packages
 * (a failure or a testbed failure is retried once), and the outcome judged against the package's history.
 */
final class RebuildRunner {
    private final Ppaforge ppa;
    private final Builds builds;
    private final RebuildStore store;
    private final Path work;
    Duration buildTimeout = Duration.ofHours(3);
    Duration testTimeout = Duration.ofHours(1);

    private final Consumer<String> progress;
    private String prefix = "";

    RebuildRunner(Ppaforge ppa, Builds builds, RebuildStore store, Path work, Consumer<String> progress) {
        this.ppa = ppa;
        this.builds = builds;
        this.store = store;
        this.work = work;
        this.progress = progress;
    }

    /** One line of progress about the package being rebuilt: "[2/5] hello: building 2.10-3~rebuild20261204.7". */
    private void say(String what) {
        try {
            progress.accept(prefix + what);
        } catch (RuntimeException e) {
            // a listener's failure (a closed terminal) never stops a run
        }
    }

    RebuildRun run(RebuildSet set, boolean force) throws InterruptedException {
        List<RebuildRun> before = store.runs(set.name(), 1);
        long run = store.startRun(set.name(), ppa.clock().instant());
        int regressions = 0;
        int i = 0;
        say("run " + store.runs(set.name(), 1).get(0).number() + " of " + set.name() + ": "
                + set.packages().size() + " package(s) from " + set.sourceLabel() + " into " + set.into() + "/"
                + set.series());
        for (String pkg : set.packages()) {
            prefix = "[" + ++i + "/" + set.packages().size() + "] " + pkg + ": ";
            say("fetching the source");
            RebuildResult r;
            try {
                r = one(set, run, pkg, force);
            } catch (IOException | RuntimeException e) {
                r = new RebuildResult(
                        run,
                        pkg,
                        null,
                        null,
                        false,
                        null,
                        null,
                        null,
                        "error",
                        null,
                        null,
                        "could not be rebuilt: " + e.getMessage(),
                        null,
                        ppa.clock().instant());
            }
            store.putResult(r);
            say(r.verdict() + (r.message() == null ? "" : " (" + r.message() + ")"));
            prefix = "";
            if (r.verdict().equals("regression") || r.verdict().equals("build-regression")) {
                regressions++;
            }
        }
        RebuildRun done = store.runs(set.name(), 1).get(0);
        List<String> failing = List.of();
        List<String> passing = List.of();
        if (!before.isEmpty()) {
            Verdicts.Changes ch = Verdicts.compare(outcomesOf(before.get(0).results()), outcomesOf(done.results()));
            failing = ch.newlyFailing();
            passing = ch.newlyPassing();
        }
        StringBuilder summary =
                new StringBuilder(set.packages().size() + " package(s), " + regressions + " regression(s)");
        if (!failing.isEmpty()) {
            summary.append("; newly failing: ").append(String.join(", ", failing));
        }
        if (!passing.isEmpty()) {
            summary.append("; newly passing: ").append(String.join(", ", passing));
        }
        if (set.webhook() != null && (regressions > 0 || !failing.isEmpty() || !passing.isEmpty())) {
            summary.append("; ")
                    .append(Notifier.send(
                            set.webhook(),
                            new Notifier.Message(
                                    set.name(),
                                    run,
                                    done.results().stream()
                                            .filter(r -> r.verdict().endsWith("regression"))
                                            .toList(),
                                    failing,
                                    passing)));
        }
        store.finishRun(run, summary.toString(), ppa.clock().instant());
        return store.runs(set.name(), 1).get(0);
    }

    private RebuildResult one(RebuildSet set, long run, String pkg, boolean force)
            throws IOException, InterruptedException {
        Chroot chroot = builds.store()
                .chroot(set.series(), "amd64")
                .orElseThrow(() -> new IllegalStateException(
                        "no build environment for " + set.series() + ": 'ppa chroot create " + set.series() + "'"));
        Path dir = work.resolve("rebuild-" + run + "-" + pkg);
        Path dsc;
        String version;
        try {
            if (set.fromApt()) {
                AptSource.Fetched f =
                        AptSource.fetch(AptSource.Spec.parse(set.from()), set.fromKey(), pkg, dir.resolve("source"));
                dsc = f.dsc();
                version = f.version();
            } else {
                ShowSource.Version published = RebuildSource.published(ppa, set.from(), set.fromSeries(), pkg);
                dsc = RebuildSource.fromPool(ppa, published, dir.resolve("source"));
                version = published.version();
            }
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(dir);
            throw e;
        }
        String envKey = "source=" + version + " " + BuildEnvironment.key(ppa, builds, chroot, set.into());
        List<RebuildResult> history = store.history(set.name(), pkg);
        RebuildResult last = history.stream()
                .filter(h -> !h.verdict().equals("skipped") && !h.verdict().equals("error"))
                .reduce((a, b) -> b)
                .orElse(null);
        if (unchanged(force, last, envKey)) {
            FileTrees.delete(dir);
            return new RebuildResult(
                    run,
                    pkg,
                    version,
                    last.rebuiltVersion(),
                    last.built(),
                    last.buildId(),
                    last.test(),
                    last.retriedFrom(),
                    "skipped",
                    last.lastGoodVersion(),
                    last.lastGoodAt(),
                    "nothing changed since run " + last.run() + " (source " + version
                            + ", the same chroot, mirror and dependency archives)",
                    envKey,
                    ppa.clock().instant());
        }
        try {
            RebuildSource.Prepared p = RebuildSource.prepare(
                    dsc,
                    version,
                    pkg,
                    set.series(),
                    "Rebuild of " + version + " by rebuild set " + set.name() + ", run " + run
                            + " (build-time tests on).",
                    run,
                    dir.resolve("source"));
            ppa.include()
                    .archive(set.into())
                    .series(set.series())
                    .files(List.of(p.dsc()))
                    .origin("rebuild set " + set.name() + " run " + run)
                    .call();
            say("building " + p.rebuiltVersion() + " in " + set.into() + "/" + set.series()
                    + " (the build farm; 'ppa build list --archive " + set.into() + "')");
            List<Build> bs = builds.await()
                    .of(set.into(), pkg, p.rebuiltVersion())
                    .timeout(buildTimeout)
                    .call()
                    .builds();
            List<Build> bad =
                    bs.stream().filter(b -> b.state() != BuildState.BUILT).toList();
            boolean built = !bs.isEmpty() && bad.isEmpty();
            Long buildId = bs.isEmpty() ? null : (bad.isEmpty() ? bs.get(0) : bad.get(0)).id();
            TestStatus test = null;
            TestStatus first = null;
            String message = built
                    ? null
                    : bad.isEmpty()
                            ? "no build"
                            : "build " + bad.get(0).id() + " "
                                    + bad.get(0).state().label()
                                    + (bad.get(0).message() == null
                                            ? ""
                                            : ": " + bad.get(0).message());
            say(built ? "built (build " + buildId + ")" : "not built: " + message);
            if (built) {
                say("running its autopkgtests");
                List<Path> debs =
                        debs(set.into(), pkg, p.rebuiltVersion(), Files.createDirectories(dir.resolve("debs")));
                Path tarball = ppa.blobs().localPath(chroot.sha256());
                Autopkgtest.Result t =
                        Autopkgtest.run(p.dsc(), debs, tarball, dir.resolve("autopkgtest-1"), testTimeout, x -> {});
                test = t.status();
                if (test.failed() || test == TestStatus.TEMPORARY) { // retried once: a pass then is flaky
                    first = test;
                    say("autopkgtest " + test.name().toLowerCase(java.util.Locale.ROOT) + ", running it once more");
                    t = Autopkgtest.run(p.dsc(), debs, tarball, dir.resolve("autopkgtest-2"), testTimeout, x -> {});
                    test = t.status();
                }
                message = "autopkgtest exit " + t.exit() + (t.tests().isEmpty() ? "" : ": " + t.tests());
            }
            RebuildResult lastBuilt = history.stream()
                    .filter(h ->
                            h.built() && h.buildId() != null && !h.verdict().equals("skipped"))
                    .reduce((a, b) -> b)
                    .orElse(null);
            if (built && lastBuilt != null) {
                String moved = moved(lastBuilt.buildId(), buildId);
                if (moved != null) {
                    message = message + "; " + moved;
                }
            }
            Outcome now = new Outcome(pkg, p.rebuiltVersion(), ppa.clock().instant(), built, test, first);
            Judgement j = Verdicts.judge(now, outcomes(history));
            return new RebuildResult(
                    run,
                    pkg,
                    version,
                    p.rebuiltVersion(),
                    built,
                    buildId,
                    test == null ? null : test.name(),
                    first == null ? null : first.name(),
                    j.verdict().label(),
                    j.lastGoodVersion(),
                    j.lastGoodAt(),
                    message,
                    envKey,
                    now.at());
        } finally {
            FileTrees.delete(dir);
        }
    }

    /**
     * Whether a package is skipped: not forced, and its last real result (not skipped, not an error) was made from the
     * same source and build environment ({@code envKey}).
     */
    static boolean unchanged(boolean force, RebuildResult last, String envKey) {
        return !force && last != null && envKey.equals(last.envKey());
    }

    /** What moved underneath since the package's last build: the source and the build environment (the .buildinfo files). */
    private String moved(long before, long after) {
        var a = builds.logs().buildinfo(before);
        var b = builds.logs().buildinfo(after);
        if (a.isEmpty() || b.isEmpty()) {
            return null;
        }
        try {
            BuildinfoDiff.Result d = BuildinfoDiff.of(a.get(), b.get());
            List<String> parts = new ArrayList<>();
            if (d.sourceBefore() != null && !d.sourceBefore().equals(d.sourceAfter())) {
                parts.add("source " + d.sourceBefore() + " -> " + d.sourceAfter());
            }
            d.moved().stream()
                    .limit(30)
                    .forEach(m -> parts.add(m.pkg() + " " + (m.before() == null ? "(new)" : m.before()) + " -> "
                            + (m.after() == null ? "(gone)" : m.after())));
            return "moved underneath: "
                    + (parts.isEmpty()
                            ? "nothing"
                            : String.join(", ", parts)
                                    + (d.moved().size() > 30
                                            ? ", and " + (d.moved().size() - 30) + " more"
                                            : ""));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The rebuilt binary packages, as files named as their pool files (autopkgtest wants .deb names). */
    private List<Path> debs(String archive, String pkg, String version, Path into) throws IOException {
        List<Path> out = new ArrayList<>();
        for (ShowSource.Version v :
                ppa.showSource().archive(archive).source(pkg).call()) {
            if (!v.version().equals(version)) {
                continue;
            }
            for (ShowSource.BinaryFile b : v.binaries()) {
                Path f = into.resolve(b.filename().substring(b.filename().lastIndexOf('/') + 1));
                if (!Files.exists(f)) {
                    Files.copy(ppa.blobs().localPath(b.sha256()), f);
                }
                out.add(f);
            }
        }
        return out;
    }

    /** A result as the verdicts see it (a skipped one repeats its last outcome); null when it could not be rebuilt at all. */
    private static Outcome outcome(RebuildResult r) {
        if (r.verdict().equals("error")) {
            return null;
        }
        return new Outcome(
                r.pkg(),
                r.rebuiltVersion(),
                r.at(),
                r.built(),
                r.test() == null ? null : TestStatus.valueOf(r.test()),
                r.retriedFrom() == null ? null : TestStatus.valueOf(r.retriedFrom()));
    }

    /** A run's outcomes (a skipped package repeats its last one; one that could not be rebuilt has none). */
    private static List<Outcome> outcomesOf(List<RebuildResult> results) {
        return results.stream()
                .map(RebuildRunner::outcome)
                .filter(Objects::nonNull)
                .toList();
    }

    /** A package's history for its verdict: its runs that rebuilt it (not skipped, not failed before building). */
    private static List<Outcome> outcomes(List<RebuildResult> history) {
        return outcomesOf(
                history.stream().filter(h -> !h.verdict().equals("skipped")).toList());
    }
}
