package org.ppaforge.web.view;

import java.util.List;
import java.util.Locale;
import org.ppaforge.qa.CoverageSummary;
import org.ppaforge.qa.coverage.FileCoverage;

/**
 * Coverage: the projects (with their newest report), or one project's trend (as an SVG chart made here), its newest
 * report's files and its least covered files.
 */
public record CoverageView(
        Page page,
        String project,
        List<CoverageSummary> projects,
        List<CoverageSummary> trend,
        CoverageSummary shown,
        List<FileCoverage> files,
        List<FileCoverage> least,
        Chart chart) {
    /** A line chart of coverage per commit: the points of an SVG polyline in a {@code width} × {@code height} box. */
    public record Chart(int width, int height, String points, double min, double max) {
        public static Chart of(List<CoverageSummary> trend, int width, int height) {
            if (trend.isEmpty()) {
                return null;
            }
            double lo =
                    trend.stream().mapToDouble(CoverageSummary::percent).min().orElse(0);
            double hi =
                    trend.stream().mapToDouble(CoverageSummary::percent).max().orElse(100);
            lo = Math.max(0, Math.floor(lo) - 1);
            hi = Math.min(100, Math.ceil(hi) + 1);
            StringBuilder p = new StringBuilder();
            for (int i = 0; i < trend.size(); i++) {
                double x = trend.size() == 1 ? width / 2.0 : 10 + (width - 20.0) * i / (trend.size() - 1);
                double y = 10 + (height - 20.0) * (1 - (trend.get(i).percent() - lo) / (hi - lo));
                p.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            return new Chart(width, height, p.toString().strip(), lo, hi);
        }
    }
}
