package org.ppaforge.web.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ppaforge.pipeline.Run;

public record RunView(Page page, Run run, List<StepLog> steps, List<String> artifacts) {
    public record StepLog(Run.Step step, String log) {}

    /** One row of the matrix: a series and its cells, one per column (null where the series has none). */
    public record MatrixRow(String series, List<Run.Step> cells) {}

    /**
     * The columns of the series × step matrix: each step that runs per series, tests once per configuration
     * ({@code source}, {@code upload}, {@code build}, {@code test sqlite}, ...).
     */
    public List<String> matrixColumns() {
        List<String> out = new ArrayList<>();
        for (Run.Step s : run.steps()) {
            if (s.series() != null && !out.contains(column(s))) {
                out.add(column(s));
            }
        }
        return out;
    }

    private static String column(Run.Step s) {
        return s.configuration() == null || s.configuration().equals("default")
                ? s.kind()
                : s.kind() + " " + s.configuration();
    }

    /** The matrix's rows, one per series in the run's order; empty for a run of one series and one configuration. */
    public List<MatrixRow> matrix() {
        Map<String, Map<String, Run.Step>> bySeries = new LinkedHashMap<>();
        for (Run.Step s : run.steps()) {
            if (s.series() != null) {
                bySeries.computeIfAbsent(s.series(), k -> new LinkedHashMap<>()).put(column(s), s);
            }
        }
        boolean several = bySeries.size() > 1
                || run.steps().stream()
                                .filter(s -> s.series() != null && s.configuration() != null)
                                .count()
                        > 1;
        if (!several) {
            return List.of();
        }
        List<String> columns = matrixColumns();
        List<MatrixRow> rows = new ArrayList<>();
        bySeries.forEach((series, cells) -> {
            List<Run.Step> row = new ArrayList<>();
            columns.forEach(c -> row.add(cells.get(c)));
            rows.add(new MatrixRow(series, row));
        });
        return rows;
    }

    /** The id of a step's log on the page (a step's name may hold ':'). */
    public static String logId(Run.Step s) {
        return "log-" + s.name().replace(':', '-');
    }
}
