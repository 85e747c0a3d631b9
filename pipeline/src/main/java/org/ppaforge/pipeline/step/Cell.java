package org.ppaforge.pipeline.step;

/**
 * Where one step of a run runs: its series and test configuration (null where the step's scope has none), and the name
 * the run records it under: the step's own name in a run for one series ({@code build}), with the series in a run for
 * several ({@code build:trixie}), and with the configuration where the test has several ({@code test:trixie:sqlite}).
 */
public record Cell(String series, String configuration, String label) {
    /** The cell of a step that runs once. */
    public static Cell once(String step) {
        return new Cell(null, null, step);
    }

    /** The cell of a step in one series (and configuration, or null) of a run for {@code seriesCount} series. */
    public static Cell of(String step, String series, int seriesCount, String configuration, int configurations) {
        String label = step;
        if (seriesCount > 1) {
            label += ":" + series;
        }
        if (configuration != null && configurations > 1) {
            label += ":" + configuration;
        }
        return new Cell(series, configuration, label);
    }
}
