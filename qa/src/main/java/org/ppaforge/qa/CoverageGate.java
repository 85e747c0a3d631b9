package org.ppaforge.qa;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.ppaforge.qa.coverage.FileCoverage;
import org.ppaforge.qa.coverage.LineSet;

/**
 * Coverage gates for a commit: a minimum (total line coverage), a largest drop against the commit's parent, and patch
 * coverage (of the lines the commit changed that are code, how many ran; from a JGit diff against its parent). A parent
 * without a report is said to be missing, never replaced by an older commit's report: a drop or a patch coverage cannot
 * be judged then, and the gate says so.
 */
public final class CoverageGate {
    private final Qa qa;
    private String project;
    private String commit;
    private Double min;
    private Double maxDrop;
    private Double patchMin;
    private Repository repository;
    private RevCommit revision;

    CoverageGate(Qa qa) {
        this.qa = qa;
    }

    public CoverageGate project(String project) {
        this.project = project;
        return this;
    }

    public CoverageGate commit(String commit) {
        this.commit = commit;
        return this;
    }

    /** Total line coverage must be at least this (percent). */
    public CoverageGate min(Double min) {
        this.min = min;
        return this;
    }

    /** Coverage may fall by at most this many points against the parent commit's report. */
    public CoverageGate maxDrop(Double maxDrop) {
        this.maxDrop = maxDrop;
        return this;
    }

    /** Of the changed code lines, at least this percent must be covered (needs {@link #git}). */
    public CoverageGate patchMin(Double patchMin) {
        this.patchMin = patchMin;
        return this;
    }

    /** The repository and commit, for the parent and the changed lines. */
    public CoverageGate git(Repository repository, RevCommit revision) {
        this.repository = repository;
        this.revision = revision;
        return this;
    }

    /**
     * @param failures what failed (empty: the gate passed)
     * @param notes what was measured, and what could not be (a missing baseline)
     * @param patchPercent the patch coverage, null when it could not be measured
     */
    public record Result(List<String> failures, List<String> notes, Double patchPercent) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    public Result call() throws IOException {
        CoverageSummary s = qa.report(project, commit);
        List<String> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "coverage %.2f %% (%d of %d lines)", s.percent(), s.covered(), s.lines()));
        if (min != null && s.percent() < min) {
            failures.add(String.format(Locale.ROOT, "coverage %.2f %% is below the minimum %.2f %%", s.percent(), min));
        }
        String parent = revision != null && revision.getParentCount() > 0
                ? revision.getParent(0).getName()
                : null;
        CoverageSummary base =
                parent == null ? null : qa.store().summary(s.project(), parent).orElse(null);
        if (maxDrop != null) {
            if (base == null) {
                notes.add("no baseline: "
                        + (parent == null
                                ? "the commit's parent is not known"
                                : "the parent commit " + parent.substring(0, 12) + " has no coverage report")
                        + ", so the drop is not judged");
            } else {
                double drop = base.percent() - s.percent();
                notes.add(String.format(
                        Locale.ROOT, "against the parent %s: %+.2f points", parent.substring(0, 12), -drop));
                if (drop > maxDrop) {
                    failures.add(String.format(
                            Locale.ROOT,
                            "coverage fell by %.2f points against the parent %s (at most %.2f allowed)",
                            drop,
                            parent.substring(0, 12),
                            maxDrop));
                }
            }
        }
        Double patch = null;
        if (patchMin != null) {
            if (repository == null || revision == null) {
                notes.add("patch coverage not measured: no repository");
            } else {
                Map<String, LineSet> changed = ChangedLines.of(repository, revision);
                int[] counts = patchCounts(changed, qa.store().files(s.project(), s.commit()));
                if (counts[1] == 0) {
                    notes.add("patch coverage: the commit changes no code lines the report covers");
                } else {
                    patch = 100.0 * counts[0] / counts[1];
                    notes.add(String.format(
                            Locale.ROOT,
                            "patch coverage %.2f %% (%d of %d changed code lines)",
                            patch,
                            counts[0],
                            counts[1]));
                    if (patch < patchMin) {
                        failures.add(
                                String.format(Locale.ROOT, "patch coverage %.2f %% is below %.2f %%", patch, patchMin));
                    }
                }
            }
        }
        return new Result(failures, notes, patch);
    }

    /** [covered, code] among the changed lines, matching repository paths to report paths by their trailing components. */
    static int[] patchCounts(Map<String, LineSet> changed, List<FileCoverage> files) {
        int covered = 0;
        int code = 0;
        for (var e : changed.entrySet()) {
            FileCoverage f = match(e.getKey(), files);
            if (f == null) {
                continue;
            }
            for (int line : e.getValue().toArray()) {
                if (f.covered().contains(line)) {
                    covered++;
                    code++;
                } else if (f.missed().contains(line)) {
                    code++;
                }
            }
        }
        return new int[] {covered, code};
    }

    /**
     * The report's file for a repository path: the same path, or one that ends the other at a directory boundary (JaCoCo
     * names {@code org/x/Foo.java} for {@code src/main/java/org/x/Foo.java}; lcov names absolute paths).
     */
    static FileCoverage match(String repoPath, List<FileCoverage> files) {
        FileCoverage best = null;
        for (FileCoverage f : files) {
            String p = f.path().replace('\\', '/');
            if (p.equals(repoPath)) {
                return f;
            }
            if (p.endsWith("/" + repoPath) || repoPath.endsWith("/" + p)) {
                if (best == null || p.length() > best.path().length()) {
                    best = f;
                }
            }
        }
        return best;
    }
}
