package org.ppaforge.pipeline.step;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ppaforge.pipeline.definition.PipelineDefinition;
import org.ppaforge.pipeline.testbed.Testbed;
import org.ppaforge.pipeline.tree.ConfinedTree;

/** Lint and unit tests: the commands run in a fresh testbed with the checkout; the files named as artifacts are kept. */
final class CheckStep implements PipelineStep {
    @Override
    public String name() {
        return "check";
    }

    @Override
    public Scope scope() {
        return Scope.ONCE;
    }

    @Override
    public String run(RunContext c, Cell cell) throws StepFailed, IOException, InterruptedException {
        PipelineDefinition.Check check = c.definition.check();
        Testbed bed = c.testbed(name(), c.series.get(0));
        Path tree = c.checkout("checkout");
        Path artifacts = c.pipelines.artifacts(c.run.id());
        List<String> kept = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> wanted = new ArrayList<>(check.artifacts());
        if (check.coverage() != null) {
            check.coverage().files().stream().filter(f -> !wanted.contains(f)).forEach(wanted::add);
        }
        Testbed.Result r = bed.run(
                tree,
                String.join("\n", check.commands()) + "\n",
                Map.of(
                        "CI",
                        "true",
                        "PPAFORGE_PIPELINE",
                        c.pipeline.name(),
                        "PPAFORGE_COMMIT",
                        c.git.commit().getName()),
                check.timeout(),
                text -> c.log(name(), text),
                src -> {
                    // What the commands left is the uploader's: read without following a link, nothing but regular
                    // files
                    // of the tree's own (a symlink to /etc/shadow or to the server's keys is refused, not read).
                    ConfinedTree left = new ConfinedTree(src);
                    for (String a : wanted) {
                        try {
                            if (left.missing(a)) {
                                continue;
                            }
                            left.copyOut(a, artifacts.resolve(a));
                            kept.add(a);
                        } catch (ConfinedTree.Refused e) {
                            refused.add("artifact " + e.getMessage());
                        } catch (IOException e) {
                            c.log(name(), "\nppaforge: could not keep " + a + ": " + e.getMessage() + "\n");
                        }
                    }
                });
        if (!refused.isEmpty()) {
            c.log(name(), "\nppaforge: " + String.join("\nppaforge: ", refused) + "\n");
            throw new StepFailed("check: " + String.join("; ", refused));
        }
        if (r.timedOut()) {
            throw StepFailed.timedOut("check: no result within " + RunContext.format(check.timeout()));
        }
        if (!r.passed()) {
            throw new StepFailed("check: a command failed (exit " + r.exit() + "):\n" + c.tail(name()));
        }
        String coverage = "";
        if (check.coverage() != null) {
            List<Path> files = check.coverage().files().stream()
                    .filter(kept::contains)
                    .map(artifacts::resolve)
                    .toList();
            if (files.isEmpty()) {
                throw new StepFailed("check: none of the coverage files was left by the commands: "
                        + String.join(", ", check.coverage().files()));
            }
            coverage = "; "
                    + c.pipelines
                            .checkReports()
                            .accept(
                                    c.pipeline.name(),
                                    c.definition.archive(),
                                    c.git.repository(),
                                    c.git.commit(),
                                    c.pipeline.branch(),
                                    files,
                                    check.coverage());
        }
        return "passed" + (kept.isEmpty() ? "" : "; artifacts: " + String.join(", ", kept)) + coverage;
    }
}
