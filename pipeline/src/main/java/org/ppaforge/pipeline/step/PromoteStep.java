package org.ppaforge.pipeline.step;

import java.util.List;
import java.util.stream.Collectors;
import org.ppaforge.archive.verb.Skew;
import org.ppaforge.common.ForgeException;

/**
 * Copies the run's source (with its binaries when the pipeline builds) to the next archive. With {@code skew-check: true}
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
    public String run(RunContext c) throws StepFailed {
        String from = c.definition.archive();
        String to = c.definition.promote().to();
        String series = c.definition.series();
        if (c.definition.promote().skewCheck()) {
            Skew.Result skew = c.pipelines
                    .archive()
                    .skew()
                    .archives(List.of(from, to))
                    .series(series)
                    .call();
            List<Skew.Row> others = skew.rows().stream()
                    .filter(r -> !r.source().equals(c.source.source()))
                    .toList();
            if (!others.isEmpty()) {
                throw new StepFailed("promote: version skew between " + from + " and " + to + " in " + series + ": "
                        + others.stream()
                                .map(r -> r.source() + " ("
                                        + r.versions().entrySet().stream()
                                                .map(e ->
                                                        e.getKey() + " " + (e.getValue() == null ? "-" : e.getValue()))
                                                .collect(Collectors.joining(", "))
                                        + ")")
                                .collect(Collectors.joining("; "))
                        + "; nothing copied (see 'ppa skew " + from + " " + to + " --series " + series + "')");
            }
        }
        try {
            var r = c.pipelines
                    .archive()
                    .copy()
                    .sources(List.of(c.source.source() + "=" + c.source.version()))
                    .from(from)
                    .to(to)
                    .series(series)
                    .withBinaries(c.definition.build() != null)
                    .via("pipeline " + c.pipeline.name() + " run " + c.run.id())
                    .call();
            return "copied to " + to + ": " + r;
        } catch (ForgeException e) {
            throw new StepFailed("promote: " + e.getMessage());
        }
    }
}
