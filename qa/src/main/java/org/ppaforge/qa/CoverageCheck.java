package org.ppaforge.qa;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.ppaforge.common.ForgeException;
import org.ppaforge.pipeline.CheckReports;
import org.ppaforge.pipeline.definition.PipelineDefinition;
import org.ppaforge.pipeline.step.StepFailed;

/**
 * The pipelines' check step hands its coverage reports here: they are stored for the commit (project: the pipeline's
 * name) and the definition's gates are applied; a failed gate fails the step, naming what failed and what was measured.
 */
public final class CoverageCheck implements CheckReports {
    private final Qa qa;

    public CoverageCheck(Qa qa) {
        this.qa = qa;
    }

    @Override
    public String accept(
            String project,
            String archive,
            Repository repository,
            RevCommit commit,
            String branch,
            List<Path> files,
            PipelineDefinition.Coverage coverage)
            throws StepFailed, IOException {
        try {
            qa.uploadCoverage()
                    .project(project)
                    .archive(archive)
                    .commit(commit.getName())
                    .branch(branch)
                    .files(files)
                    .names(files.stream().map(f -> f.getFileName().toString()).toList())
                    .call();
        } catch (ForgeException e) {
            throw new StepFailed("check: coverage: " + e.getMessage());
        }
        CoverageGate.Result r = qa.coverageGate()
                .project(project)
                .commit(commit.getName())
                .min(coverage.min())
                .maxDrop(coverage.maxDrop())
                .patchMin(coverage.patch())
                .git(repository, commit)
                .call();
        if (!r.passed()) {
            throw new StepFailed("check: coverage gate: " + String.join("; ", r.failures()) + " ("
                    + String.join("; ", r.notes()) + ")");
        }
        return String.join("; ", r.notes());
    }
}
