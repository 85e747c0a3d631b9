package org.ppaforge.qa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.farm.Builds;

/** Coverage tracking: upload (merged formats), show, trend, least covered, diff, gates with a real JGit history. */
class CoverageTest {

    /** How the archive is opened: the embedded default here; {@link CoverageOnSharedStoresTest} runs every test on PostgreSQL and S3. */
    ArchiveSettings settings(Path data) {
        return ArchiveSettings.of(data);
    }

    @TempDir
    Path data;

    @TempDir
    Path work;

    Ppaforge ppa;
    Builds builds;
    Qa qa;

    @BeforeEach
    void open() {
        ppa = Ppaforge.open(settings(data));
        ppa.createArchive()
                .name("trunk")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        builds = Builds.open(ppa);
        qa = Qa.open(ppa, builds);
    }

    @AfterEach
    void close() {
        qa.close();
        builds.close();
        ppa.close();
    }

    private Path lcov(String name, String... records) throws Exception {
        return Files.writeString(work.resolve(name), "TN:\n" + String.join("", records));
    }

    private static String file(String path, int[] covered, int[] missed) {
        StringBuilder s = new StringBuilder("SF:" + path + "\n");
        for (int l : covered) {
            s.append("DA:").append(l).append(",3\n");
        }
        for (int l : missed) {
            s.append("DA:").append(l).append(",0\n");
        }
        return s.append("end_of_record\n").toString();
    }

    @Test
    void uploadShowTrendLeastAndDiff() throws Exception {
        Path c = lcov(
                "c.info",
                file("src/a.c", new int[] {1, 2, 3}, new int[] {4}),
                file("src/b.c", new int[] {1}, new int[] {2, 3, 4}));
        Path py = Files.writeString(
                work.resolve("coverage.xml"),
                "<?xml version=\"1.0\"?><coverage><packages><package><classes>"
                        + "<class filename=\"tool.py\"><lines><line number=\"1\" hits=\"1\"/><line number=\"2\" hits=\"0\"/></lines></class>"
                        + "</classes></package></packages></coverage>");
        CoverageSummary first = qa.uploadCoverage()
                .archive("trunk")
                .project("mytool")
                .commit("aaaa1111")
                .branch("main")
                .files(List.of(c, py))
                .call();
        assertThat(first.format()).isEqualTo("lcov,cobertura");
        assertThat(first.files()).isEqualTo(3);
        assertThat(first.lines()).isEqualTo(10);
        assertThat(first.covered()).isEqualTo(5);
        assertThat(first.percent()).isEqualTo(50.0);

        ShowCoverage.Result shown = qa.showCoverage().project("mytool").call();
        assertThat(shown.summary().commit()).isEqualTo("aaaa1111");
        assertThat(shown.files()).extracting(f -> f.path()).containsExactly("src/a.c", "src/b.c", "tool.py");

        LeastCovered.Result least = qa.leastCovered().project("mytool").limit(2).call();
        assertThat(least.files()).extracting(f -> f.path()).containsExactly("src/b.c", "src/a.c");
        assertThat(least.markdown())
                .contains("## src/b.c: 3 of 4 lines not covered (25.0 % covered)")
                .contains("Missed lines: 2-4");

        Path better = lcov(
                "c2.info",
                file("src/a.c", new int[] {1, 2, 3, 4}, new int[] {}),
                file("src/c.c", new int[] {1}, new int[] {}));
        qa.uploadCoverage()
                .archive("trunk")
                .project("mytool")
                .commit("bbbb2222")
                .branch("main")
                .files(List.of(better))
                .call();
        assertThat(qa.coverageTrend().project("mytool").call())
                .extracting(CoverageSummary::commit)
                .containsExactly("aaaa1111", "bbbb2222");
        CoverageDiff.Result d = qa.coverageDiff()
                .project("mytool")
                .commits("aaaa1111", "bbbb2222")
                .call();
        assertThat(d.changes())
                .extracting(CoverageDiff.Change::path)
                .containsExactly("src/a.c", "src/b.c", "src/c.c", "tool.py");
        assertThat(d.changes().get(1).after()).isNull();
        assertThat(d.changes().get(2).before()).isNull();
        assertThat(d.percentDelta()).isEqualTo(50.0);

        // A malformed file among good ones: refused, named, and nothing of the upload stored.
        Path bad = Files.writeString(work.resolve("broken.xml"), "<coverage><packages>");
        assertThatThrownBy(() -> qa.uploadCoverage()
                        .archive("trunk")
                        .project("mytool")
                        .commit("cccc3333")
                        .files(List.of(better, bad))
                        .call())
                .hasMessageContaining("broken.xml: malformed XML")
                .hasMessageContaining("nothing was stored");
        assertThat(qa.coverageTrend().project("mytool").call()).hasSize(2);
        assertThatThrownBy(() -> qa.uploadCoverage()
                        .archive("trunk")
                        .project("my tool")
                        .commit("cccc3333")
                        .files(List.of(better))
                        .call())
                .hasMessageContaining("invalid project name");
        assertThatThrownBy(() -> qa.uploadCoverage()
                        .archive("trunk")
                        .project("mytool")
                        .commit("main")
                        .files(List.of(better))
                        .call())
                .hasMessageContaining("invalid commit 'main'");
        assertThatThrownBy(
                        () -> qa.showCoverage().project("mytool").commit("dddd").call())
                .hasMessageContaining("no coverage for commit dddd");
    }

    @Test
    void uploadingACommitAgainReplacesItsReport() throws Exception {
        Path first = lcov("first.info", file("src/a.c", new int[] {1, 2}, new int[] {3, 4}));
        Path again = lcov(
                "again.info",
                file("src/a.c", new int[] {1, 2, 3}, new int[] {4}),
                file("src/b.c", new int[] {1}, new int[] {}));
        for (Path f : List.of(first, again)) {
            qa.uploadCoverage()
                    .archive("trunk")
                    .project("mytool")
                    .commit("cccc3333")
                    .branch("main")
                    .files(List.of(f))
                    .call();
        }
        // One report for the commit, the second one: its totals, its files, one point in the trend.
        ShowCoverage.Result shown =
                qa.showCoverage().project("mytool").commit("cccc3333").call();
        assertThat(shown.summary().lines()).isEqualTo(5);
        assertThat(shown.summary().covered()).isEqualTo(4);
        assertThat(shown.files()).extracting(f -> f.path()).containsExactly("src/a.c", "src/b.c");
        assertThat(shown.files().get(0).missedLines()).isEqualTo(1);
        assertThat(qa.coverageTrend().project("mytool").call())
                .extracting(CoverageSummary::commit)
                .containsExactly("cccc3333");
    }

    @Test
    void gatesJudgeMinimumDropAndPatchCoverageAndSayWhenTheBaselineIsMissing() throws Exception {
        Path repoDir = Files.createDirectories(work.resolve("repo"));
        try (Git git = Git.init()
                .setDirectory(repoDir.toFile())
                .setInitialBranch("main")
                .call()) {
            Files.createDirectories(repoDir.resolve("src"));
            Files.writeString(repoDir.resolve("src/a.c"), "l1\nl2\nl3\nl4\n");
            RevCommit first = commit(git, "first");
            Files.writeString(repoDir.resolve("src/a.c"), "l1\nl2\nl3\nl4\nnew5\nnew6\n");
            RevCommit second = commit(git, "second");

            // The first commit has no parent: no baseline, said so; the minimum is judged.
            qa.uploadCoverage()
                    .archive("trunk")
                    .project("p")
                    .commit(first.getName())
                    .files(List.of(lcov("1.info", file("/build/src/a.c", new int[] {1, 2, 3}, new int[] {4}))))
                    .call();
            CoverageGate.Result r1 = qa.coverageGate()
                    .project("p")
                    .commit(first.getName())
                    .min(80.0)
                    .maxDrop(0.5)
                    .git(git.getRepository(), first)
                    .call();
            assertThat(r1.failures()).containsExactly("coverage 75.00 % is below the minimum 80.00 %");
            assertThat(r1.notes()).anyMatch(n -> n.startsWith("no baseline: the commit's parent is not known"));

            // The second adds lines 5 and 6; only 5 ran: patch coverage 50 %, the total fell from 75 to 66.67.
            qa.uploadCoverage()
                    .archive("trunk")
                    .project("p")
                    .commit(second.getName())
                    .files(List.of(lcov("2.info", file("/build/src/a.c", new int[] {1, 2, 3, 5}, new int[] {4, 6}))))
                    .call();
            CoverageGate.Result r2 = qa.coverageGate()
                    .project("p")
                    .commit(second.getName())
                    .maxDrop(0.5)
                    .patchMin(80.0)
                    .git(git.getRepository(), second)
                    .call();
            assertThat(r2.patchPercent()).isEqualTo(50.0);
            assertThat(r2.failures())
                    .containsExactly(
                            "coverage fell by 8.33 points against the parent "
                                    + first.getName().substring(0, 12) + " (at most 0.50 allowed)",
                            "patch coverage 50.00 % is below 80.00 %");
            assertThat(qa.coverageGate()
                            .project("p")
                            .commit(second.getName())
                            .maxDrop(10.0)
                            .patchMin(50.0)
                            .git(git.getRepository(), second)
                            .call()
                            .passed())
                    .isTrue();

            // A commit whose parent has no report: the drop is not judged against an older commit.
            Files.writeString(repoDir.resolve("src/a.c"), "l1\nl2\nl3\nl4\nnew5\nnew6\nnew7\n");
            RevCommit third = commit(git, "third");
            Files.writeString(repoDir.resolve("src/a.c"), "l1\nl2\nl3\nl4\nnew5\nnew6\nnew7\nnew8\n");
            RevCommit fourth = commit(git, "fourth");
            qa.uploadCoverage()
                    .archive("trunk")
                    .project("p")
                    .commit(fourth.getName())
                    .files(List.of(lcov("4.info", file("src/a.c", new int[] {1}, new int[] {2, 3, 4, 5, 6, 7, 8}))))
                    .call();
            CoverageGate.Result r4 = qa.coverageGate()
                    .project("p")
                    .commit(fourth.getName())
                    .maxDrop(0.5)
                    .git(git.getRepository(), fourth)
                    .call();
            assertThat(r4.passed()).isTrue();
            assertThat(r4.notes())
                    .contains("no baseline: the parent commit "
                            + third.getName().substring(0, 12) + " has no coverage report, so the drop is not judged");
        }
    }

    private static RevCommit commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(message).setSign(false).call();
    }
}
