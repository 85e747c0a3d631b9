package org.ppaforge.pipeline.step;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ppaforge.archive.verb.Copy;
import org.ppaforge.archive.verb.Skew;
import org.ppaforge.common.ForgeException;

/**
 * Copies the run's source packages (with their binaries when the pipeline builds) to the next archive: every series'
 * at once, in one transaction, or none (a release must not ship for some series only). With {@code skew-check: true}
 * the copy happens only when the two archives agree, in the series, on every other source they both publish: what
 * {@code ppa skew FROM TO --series S} shows, less the source being promoted. A stage whose other packages are behind or
 * ahead (a hotfix uploaded straight to it, a package whose own pipeline failed) stops the promotion, naming them.
 */
final class PromoteStep implements PipelineStep {
    @Override
    public String name() {
        return "promote";
    }

    @Override
    public Scope scope() {
        return Scope.ONCE;
    }

    @Override
    public String run(RunContext c, Cell cell) throws StepFailed {
        String from = c.definition.archive();
        String to = c.definition.promote().to();
        if (c.definition.promote().skewCheck()) {
            List<String> skewed = new ArrayList<>();
            for (String series : c.series) {
                skewed.addAll(skew(c, from, to, series));
            }
            if (!skewed.isEmpty()) {
                throw new StepFailed("promote: version skew between " + from + " and " + to
                        + (c.series.size() == 1 ? " in " + c.series.get(0) : "") + ": "
                        + String.join("; ", skewed) + "; nothing copied (see 'ppa skew " + from + " " + to
                        + " --series " + c.series.get(0) + "')");
            }
        }
        Map<String, List<String>> bySeries = new LinkedHashMap<>();
        for (String series : c.series) {
            var s = c.source(series);
            bySeries.put(series, List.of(s.source() + "=" + s.version()));
        }
        try {
            List<Copy.Result> results = c.pipelines
                    .archive()
                    .copy()
                    .from(from)
                    .to(to)
                    .withBinaries(c.definition.build() != null)
                    .withDependencies(c.definition.promote().withDependencies())
                    .via("pipeline " + c.pipeline.name() + " run " + c.run.id())
                    .callInEach(bySeries);
            List<String> what = new ArrayList<>();
            for (Copy.Result r : results) {
                for (Copy.Pulled p : r.pulled()) {
                    c.log(
                            cell.label(),
                            "taking along " + p.source() + " " + p.version() + " in " + r.toSeries() + " (" + p.reason()
                                    + ")\n");
                }
                for (Copy.Copied x : r.copied()) {
                    what.add(x.source() + " " + x.version() + " in " + r.toSeries()
                            + (x.binaries() > 0
                                    ? " with " + x.binaries() + " binar" + (x.binaries() == 1 ? "y" : "ies")
                                    : "")
                            + (x.outcome().equals("copied")
                                    ? ""
                                    : " (" + x.outcome().replace('_', ' ') + ")"));
                }
            }
            String message = "copied to " + to + ": " + String.join(", ", what);
            c.log(cell.label(), message + "\n");
            return message;
        } catch (ForgeException e) {
            throw new StepFailed("promote: " + e.getMessage() + " (nothing copied, in any series)");
        }
    }

    /** The other sources that differ between the two archives in the series, as "name (archive version, ...)". */
    private static List<String> skew(RunContext c, String from, String to, String series) {
        Skew.Result skew = c.pipelines
                .archive()
                .skew()
                .archives(List.of(from, to))
                .series(series)
                .call();
        String source = c.source(series).source();
        return skew.rows().stream()
                .filter(r -> !r.source().equals(source))
                .map(r -> r.source() + (c.series.size() == 1 ? "" : " in " + series) + " ("
                        + r.versions().entrySet().stream()
                                .map(e -> e.getKey() + " " + (e.getValue() == null ? "-" : e.getValue()))
                                .collect(Collectors.joining(", "))
                        + ")")
                .toList();
    }
}
