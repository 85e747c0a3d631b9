package org.ppaforge.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.ppaforge.pipeline.definition.PipelineDefinition;
import org.ppaforge.pipeline.step.StepFailed;

/**
 * A hook for what the check step's reports mean to another module (the QA module stores coverage and applies its gates):
 * called after the check passed, with the report files it kept. It returns a line for the step's message, or fails the
 * step with {@link StepFailed}.
 */
public interface CheckReports {
    /** No module reads coverage: a definition with a coverage block fails its check step. */
    CheckReports NONE = (project, archive, repository, commit, branch, files, coverage) -> {
        throw new StepFailed("check: the definition has a coverage block, but this ppaforge does not read coverage");
    };

    /**
     * @param project the pipeline's name
     * @param archive the archive the pipeline uploads to (the project's owner)
     * @param files the coverage files the definition names, as the check left them (those it did not leave are missing)
     */
    String accept(
            String project,
            String archive,
            Repository repository,
            RevCommit commit,
            String branch,
            List<Path> files,
            PipelineDefinition.Coverage coverage)
            throws StepFailed, IOException;
}
