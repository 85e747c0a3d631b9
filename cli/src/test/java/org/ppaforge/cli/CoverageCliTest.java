package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.qa.Qa;
import org.ppaforge.server.PpaServer;

/**
 * {@code ppa coverage} as real processes, on the data directory and against a server: a report made by coverage.py
 * uploaded, shown, its trend, the least covered files as Markdown, a diff; a broken file refused with exit status 2.
 */
class CoverageCliTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    final ObjectMapper json = new ObjectMapper();

    private PpaProcesses.Result ppa(String server, String token, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(server == null ? List.of("--data-dir", data.toString()) : List.of("--server", server));
        return PpaProcesses.run(work, token, all);
    }

    /** coverage.py's XML of a module whose function runs for the given arguments. */
    private Path report(String name, boolean both) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name));
        Files.writeString(dir.resolve("mytool.py"), "def f(x):\n    if x:\n        return 1\n    return 2\n");
        Files.writeString(dir.resolve("run.py"), "import mytool\nmytool.f(True)\n" + (both ? "mytool.f(False)\n" : ""));
        Tools.run(dir, "python3-coverage", "run", "--include=mytool.py", "run.py")
                .orFail("coverage run");
        Tools.run(dir, "python3-coverage", "xml", "-o", "coverage.xml").orFail("coverage xml");
        return dir.resolve("coverage.xml");
    }

    @Test
    void uploadShowTrendLeastDiffLocallyAndThroughAServer() throws Exception {
        assertThat(ppa(null, null, "archive", "create", "trunk", "--series", "noble", "--arch", "amd64")
                        .exit())
                .isZero();
        assertThat(ppa(null, null, "archive", "create", "other", "--series", "noble", "--arch", "amd64")
                        .exit())
                .isZero();
        PpaProcesses.Result ownerless = ppa(
                null,
                null,
                "coverage",
                "upload",
                "--project",
                "mytool",
                "--commit",
                "abc1234",
                report("zero", false).toString());
        assertThat(ownerless.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(ownerless.err()).contains("coverage project 'mytool' is new: name the archive it belongs to");
        PpaProcesses.Result up = ppa(
                null,
                null,
                "coverage",
                "upload",
                "--project",
                "mytool",
                "--archive",
                "trunk",
                "--commit",
                "abc1234",
                "--branch",
                "main",
                report("one", false).toString());
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(up.out()).isEqualTo("mytool abc1234: 75.0 % of 4 lines in 1 files (cobertura)\n");
        Path broken = Files.writeString(work.resolve("broken.info"), "SF:a.c\nDA:x,1\n");
        PpaProcesses.Result refused =
                ppa(null, null, "coverage", "upload", "--project", "mytool", "--commit", "def5678", broken.toString());
        assertThat(refused.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(refused.err())
                .contains("broken.info:2: DA line is not a number: 'x'")
                .contains("nothing was stored");
        PpaProcesses.Result least = ppa(null, null, "coverage", "least", "mytool");
        assertThat(least.out())
                .contains("## mytool.py: 1 of 4 lines not covered (75.0 % covered)")
                .contains("Missed lines: 4");

        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            Qa qa = forge.qa();
            String token = ppa.createToken().name("ci").role("uploader").call().secret();
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                String url = "http://127.0.0.1:" + server.port();
                // Signed out, a public archive's project is there to read (as its builds and pipelines are); storing
                // a report still needs a token.
                PpaProcesses.Result anonymous = ppa(url, null, "coverage", "show", "mytool");
                assertThat(anonymous.exit()).as(anonymous.toString()).isZero();
                assertThat(anonymous.out()).contains("75.0 %");
                PpaProcesses.Result denied = ppa(
                        url,
                        null,
                        "coverage",
                        "upload",
                        "--project",
                        "mytool",
                        "--commit",
                        "def5678",
                        report("one", false).toString());
                assertThat(denied.exit()).isNotZero();
                assertThat(denied.err()).contains("needs a token");
                PpaProcesses.Result second = ppa(
                        url,
                        token,
                        "coverage",
                        "upload",
                        "--project",
                        "mytool",
                        "--commit",
                        "def5678",
                        "--branch",
                        "main",
                        report("two", true).toString(),
                        "--json");
                assertThat(second.exit()).as(second.toString()).isZero();
                assertThat(json.readTree(second.out()).path("covered").asInt()).isEqualTo(4);
                JsonNode shown = json.readTree(
                        ppa(url, token, "coverage", "show", "mytool", "--json").out());
                assertThat(shown.path("summary").path("commit").asText()).isEqualTo("def5678");
                assertThat(shown.path("files").get(0).path("missed").asText()).isEmpty();
                assertThat(shown.path("files").get(0).path("covered").asText()).isEqualTo("1-4");
                PpaProcesses.Result trend = ppa(url, token, "coverage", "trend", "mytool");
                assertThat(trend.out()
                                .lines()
                                .skip(1)
                                .map(l -> l.split("\\s+")[0])
                                .toList())
                        .containsExactly("abc1234", "def5678");
                assertThat(trend.out()).contains("+25.00");
                PpaProcesses.Result diff = ppa(url, token, "coverage", "diff", "mytool", "abc1234", "def5678");
                assertThat(diff.out())
                        .startsWith("75.0 % -> 100.0 % (+25.00 points)")
                        .contains("mytool.py");
                // An uploader of another archive cannot replace the project's reports (the gates' baseline): on the old
                // code
                // any uploader could.
                String stranger = ppa.createToken()
                        .name("stranger")
                        .role("uploader")
                        .archive("other")
                        .call()
                        .secret();
                PpaProcesses.Result overwrite = ppa(
                        url,
                        stranger,
                        "coverage",
                        "upload",
                        "--project",
                        "mytool",
                        "--commit",
                        "def5678",
                        report("three", false).toString());
                assertThat(overwrite.exit()).as(overwrite.toString()).isNotZero();
                assertThat(overwrite.err()).contains("may write only to archive 'other', not 'trunk'");
                PpaProcesses.Result moved = ppa(
                        url,
                        token,
                        "coverage",
                        "upload",
                        "--project",
                        "mytool",
                        "--archive",
                        "other",
                        "--commit",
                        "def5678",
                        report("four", false).toString());
                assertThat(moved.err()).contains("belongs to archive 'trunk', not 'other'");
                PpaProcesses.Result badBody = ppa(
                        url,
                        token,
                        "coverage",
                        "upload",
                        "--project",
                        "mytool",
                        "--commit",
                        "0123abcd",
                        broken.toString());
                assertThat(badBody.exit()).isEqualTo(ExitCodes.INVALID);
                assertThat(badBody.err()).contains("broken.info:2");
            }
            assertThat(qa.coverageTrend().project("mytool").call()).hasSize(2);
            assertThat(qa.showCoverage().project("mytool").call().summary().covered())
                    .isEqualTo(4); // not the stranger's
        }
    }
}
