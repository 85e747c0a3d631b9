package org.ppaforge.pipeline.step;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ppaforge.pipeline.definition.PipelineDefinition;
import org.ppaforge.pipeline.testbed.Testbed;

/** Lint and unit tests: the commands run in a fresh testbed with the checkout; the files named as artifacts are kept. */
final class CheckStep implements PipelineStep {
    @Override
    public String name() {
        return "check";
    }

    @Override
    public String run(RunContext c) throws StepFailed, IOException, InterruptedException {
        PipelineDefinition.Check check = c.definition.check();
        Testbed bed = c.testbed(name());
        Path tree = c.checkout("checkout");
        Path artifacts = c.pipelines.artifacts(c.run.id());
        List<String> kept = new ArrayList<>();
        Testbed.Result r = bed.run(tree, String.join("\n", check.commands()) + "\n", Map.of("CI", "true",
                "PPAFORGE_PIPELINE", c.pipeline.name(), "PPAFORGE_COMMIT", c.git.commit().getName()), check.timeout(),
                text -> c.log(name(), text), src -> {
                    for (String a : check.artifacts()) {
                        Path f = src.resolve(a).normalize();
                        if (f.startsWith(src) && Files.isRegularFile(f)) {
                            try {
                                Path target = artifacts.resolve(a).normalize();
                                Files.createDirectories(target.getParent());
                                Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                                kept.add(a);
                            } catch (IOException e) {
                                c.log(name(), "\nppaforge: could not keep " + a + ": " + e.getMessage() + "\n");
                            }
                        }
                    }
                });
        if (r.timedOut()) {
            throw StepFailed.timedOut("check: no result within " + RunContext.format(check.timeout()));
        }
        if (!r.passed()) {
            throw new StepFailed("check: a command failed (exit " + r.exit() + "):\n" + c.tail(name()));
        }
        return "passed" + (kept.isEmpty() ? "" : "; artifacts: " + String.join(", ", kept));
    }
}
