package org.ppaforge.pipeline.step;

import java.io.IOException;
import org.eclipse.jgit.revwalk.RevCommit;
import org.ppaforge.pipeline.git.GitMirror;
import org.ppaforge.pipeline.source.SourcePackageMaker;

/** The source package: orig tarball from the commit, packaging from the tree or a branch, the daily version. */
final class SourceStep implements PipelineStep {
    @Override
    public String name() {
        return "source";
    }

    @Override
    public String run(RunContext c) throws IOException, InterruptedException {
        GitMirror.Fetched pack = null;
        try {
            RevCommit packaging = null;
            if (c.definition.source().packagingBranch() != null) {
                pack = new GitMirror(c.pipelines.directory().resolve("git"))
                        .fetch(c.pipeline.gitUrl(), c.definition.source().packagingBranch());
                packaging = pack.commit();
            }
            c.source = new SourcePackageMaker(c.git.repository())
                    .commit(c.git.commit())
                    .packaging(packaging)
                    .template(c.definition.version())
                    .distribution(c.definition.series())
                    .reason("ppaforge pipeline " + c.pipeline.name() + ", run " + c.run.id())
                    .make(c.dir.resolve("source"));
        } finally {
            if (pack != null) {
                pack.close();
            }
        }
        c.pipelines.store().setCommit(c.run.id(), null, c.source.version().toString());
        return c.source.source() + " " + c.source.version();
    }
}
