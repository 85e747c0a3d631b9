package org.ppaforge.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ppaforge.common.ForgeException;
import org.ppaforge.common.Names;
import org.ppaforge.qa.CoverageSummary;
import org.ppaforge.qa.Qa;
import org.ppaforge.qa.ShowCoverage;
import org.ppaforge.qa.coverage.FileCoverage;
import org.ppaforge.web.view.CoverageView;

/** Coverage per project: trend chart (SVG made here), the newest report's files, the least covered. Signed-in tokens only. */
final class CoveragePages {
    private final Web web;

    CoveragePages(Web web) {
        this.web = web;
    }

    void register() {
        web.get("/\\+coverage", (c, m) -> projects(c));
        web.get("/\\+coverage/(" + Names.PROJECT_RE + ")", (c, m) -> project(c, m.group(1)));
    }

    /** Coverage; what the viewer may see of it, {@link Qa#checkVisible} decides (public archives' to anyone). */
    private Qa qa(Web.Context c) {
        return web.qa;
    }

    private WebResponse projects(Web.Context c) {
        Qa qa = qa(c);
        List<CoverageSummary> latest = new ArrayList<>();
        for (String p : qa.store().projects()) {
            if (visible(qa, p, c)) {
                qa.store().latest(p, null).ifPresent(latest::add);
            }
        }
        return c.render(
                "coverage.jte",
                new CoverageView(
                        c.page("Coverage", "coverage"), null, latest, List.of(), null, List.of(), List.of(), null));
    }

    /** Whether the viewer may see the project: a private archive's project is missing to those who may not read it. */
    private static boolean visible(Qa qa, String project, Web.Context c) {
        try {
            qa.checkVisible(project, c.viewer.secret());
            return true;
        } catch (ForgeException e) {
            return false;
        }
    }

    private WebResponse project(Web.Context c, String project) {
        Qa qa = qa(c);
        qa.checkVisible(project, c.viewer.secret());
        String commit = c.request.param("commit");
        ShowCoverage.Result shown = qa.showCoverage()
                .project(project)
                .commit(commit == null || commit.isBlank() ? null : commit)
                .call();
        List<CoverageSummary> trend =
                qa.coverageTrend().project(project).limit(200).call();
        var least = shown.files().stream()
                .filter(f -> f.missedLines() > 0)
                .sorted(Comparator.comparingInt((FileCoverage f) -> f.missedLines())
                        .reversed())
                .limit(20)
                .toList();
        return c.render(
                "coverage.jte",
                new CoverageView(
                        c.page("Coverage of " + project, "coverage"),
                        project,
                        List.of(),
                        trend,
                        shown.summary(),
                        shown.files(),
                        least,
                        CoverageView.Chart.of(trend, 720, 200)));
    }
}
