package org.ppaforge.qa;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.testing.TestChroots;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.pipeline.Run;
import org.ppaforge.pipeline.testing.GitServer;

/**
 * A pipeline's check step (in its testbed) leaves an lcov report; the QA module stores it for the commit and applies the
 * definition's gates: a commit that lowers coverage by more than allowed fails at check, and its report is kept.
 */
class CoverageInPipelineTest {
    @TempDir
    Path data;

    @TempDir
    Path upstream;

    @Test
    void theCheckStepsReportIsStoredAndAFallingCommitFailsTheGate() throws Exception {
        try (Ppaforge ppa = Ppaforge.open(data);
                Builds builds = Builds.open(ppa);
                Qa qa = Qa.open(ppa, builds);
                Pipelines pipelines = Pipelines.open(ppa, builds, new CoverageCheck(qa), () -> null, problem -> {});
                Git dev = Git.init()
                        .setDirectory(upstream.toFile())
                        .setInitialBranch("main")
                        .call();
                GitServer git = GitServer.serve(dev.getRepository())) {
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            builds.createChroot()
                    .series("bookworm")
                    .architecture("amd64")
                    .tarball(TestChroots.bookworm())
                    .call();
            Files.writeString(upstream.resolve(".ppaforge.yml"), """
                    archive: trunk
                    series: bookworm
                    check:
                      commands:
                        - sh make-report.sh
                      coverage:
                        files: [cov.info]
                        min: 50
                        max-drop: 5
                    """);
            commit(
                    dev,
                    "make-report.sh",
                    "printf 'TN:\\nSF:src/a.c\\nDA:1,1\\nDA:2,1\\nDA:3,1\\nDA:4,0\\nend_of_record\\n' > cov.info\n");
            pipelines
                    .create()
                    .name("mytool")
                    .git(git.url())
                    .branch("main")
                    .file(null)
                    .call();
            Run first = run(pipelines);
            assertThat(first.state()).as(first.toString()).isEqualTo(Run.PASSED);
            assertThat(first.steps().get(1).message())
                    .contains("artifacts: cov.info")
                    .contains("coverage 75.00 % (3 of 4 lines)")
                    .contains("no baseline: the commit's parent is not known");
            assertThat(qa.showCoverage().project("mytool").call().summary().commit())
                    .isEqualTo(first.commit());

            commit(
                    dev,
                    "make-report.sh",
                    "printf 'TN:\\nSF:src/a.c\\nDA:1,1\\nDA:2,1\\nDA:3,0\\nDA:4,0\\nend_of_record\\n' > cov.info\n");
            Run second = run(pipelines);
            assertThat(second.state()).isEqualTo(Run.FAILED);
            assertThat(second.message())
                    .contains("check: coverage gate: coverage fell by 25.00 points against the parent "
                            + first.commit().substring(0, 12) + " (at most 5.00 allowed)");
            // The falling commit's report is kept all the same: the trend shows it.
            assertThat(qa.coverageTrend().project("mytool").call())
                    .extracting(CoverageSummary::percent)
                    .containsExactly(75.0, 50.0);
        }
    }

    private static void commit(Git dev, String file, String text) throws Exception {
        Files.writeString(dev.getRepository().getWorkTree().toPath().resolve(file), text);
        dev.add().addFilepattern(".").call();
        dev.commit().setMessage("change " + file).setSign(false).call();
    }

    private static Run run(Pipelines pipelines) throws Exception {
        pipelines.start().pipeline("mytool").trigger("manual").ref(null).call();
        return pipelines.runner().runNext();
    }
}
