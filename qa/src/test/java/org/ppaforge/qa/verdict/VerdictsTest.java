package org.ppaforge.qa.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.testing.Tools;

/** debci's verdicts against history, the changes between two runs, and what moved between two real .buildinfo files. */
class VerdictsTest {
    static final Instant T0 = Instant.parse("2026-11-01T03:00:00Z");

    private static Outcome o(int day, String version, boolean built, TestStatus test) {
        return new Outcome("pkg", version, T0.plusSeconds(86400L * day), built, test, null);
    }

    private static Verdict v(Outcome now, Outcome... before) {
        return Verdicts.judge(now, List.of(before)).verdict();
    }

    @Test
    void exitStatusesMeanWhatAutopkgtestSays() {
        assertThat(List.of(0, 2, 4, 6, 8, 12, 14, 16, 20, 1).stream()
                        .map(TestStatus::ofExit)
                        .toList())
                .containsExactly(
                        TestStatus.PASS,
                        TestStatus.PASS_WITH_SKIPS,
                        TestStatus.FAIL,
                        TestStatus.FAIL,
                        TestStatus.NEUTRAL,
                        TestStatus.ERRONEOUS,
                        TestStatus.ERRONEOUS,
                        TestStatus.TEMPORARY,
                        TestStatus.TEMPORARY,
                        TestStatus.TEMPORARY);
    }

    @Test
    void verdictsFollowDebci() {
        Outcome pass1 = o(1, "1.0-1", true, TestStatus.PASS);
        Outcome fail2 = o(2, "1.0-2", true, TestStatus.FAIL);
        assertThat(v(pass1)).isEqualTo(Verdict.PASSED);
        Judgement regression = Verdicts.judge(fail2, List.of(pass1));
        assertThat(regression.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(regression.lastGoodVersion()).isEqualTo("1.0-1");
        assertThat(regression.lastGoodAt()).isEqualTo(pass1.at());
        assertThat(v(fail2, o(0, "1.0-0", true, TestStatus.FAIL))).isEqualTo(Verdict.ALWAYS_FAILED);
        assertThat(v(o(3, "1.0-3", true, TestStatus.ERRONEOUS))).isEqualTo(Verdict.ALWAYS_FAILED);
        assertThat(v(o(3, "1.0-3", true, TestStatus.PASS_WITH_SKIPS), pass1, fail2))
                .isEqualTo(Verdict.FIXED);
        assertThat(v(new Outcome("pkg", "1.0-3", T0, true, TestStatus.PASS, TestStatus.FAIL), pass1))
                .isEqualTo(Verdict.FLAKY);
        assertThat(v(new Outcome("pkg", "1.0-3", T0, true, TestStatus.TEMPORARY, TestStatus.TEMPORARY), pass1))
                .isEqualTo(Verdict.TEMPORARY);
        assertThat(v(o(3, "1.0-3", true, TestStatus.NEUTRAL), pass1)).isEqualTo(Verdict.NEUTRAL);
        // Temporary and neutral results count neither way.
        assertThat(v(fail2, pass1, o(1, "1.0-1", true, TestStatus.TEMPORARY))).isEqualTo(Verdict.REGRESSION);
        assertThat(v(o(4, "1.0-4", true, TestStatus.PASS), fail2, o(3, "1.0-3", true, TestStatus.TEMPORARY)))
                .isEqualTo(Verdict.FIXED);
        assertThat(v(fail2, o(1, "1.0-1", true, TestStatus.NEUTRAL))).isEqualTo(Verdict.ALWAYS_FAILED);
        // The build itself.
        Judgement buildRegression = Verdicts.judge(o(5, "1.0-5", false, null), List.of(pass1, fail2));
        assertThat(buildRegression.verdict()).isEqualTo(Verdict.BUILD_REGRESSION);
        assertThat(buildRegression.lastGoodVersion()).isEqualTo("1.0-2");
        assertThat(v(o(5, "1.0-5", false, null))).isEqualTo(Verdict.BUILD_ALWAYS_FAILED);
        assertThat(Verdict.ALWAYS_FAILED.label()).isEqualTo("always-failed");
    }

    @Test
    void aRunSaysWhatIsNewlyFailingAndNewlyPassing() {
        List<Judgement> before = new ArrayList<>();
        List<Judgement> after = new ArrayList<>();
        String[][] cases = {
            {"stays", "PASS", "PASS"},
            {"breaks", "PASS", "FAIL"},
            {"heals", "FAIL", "PASS"},
            {"flat", "FAIL", "FAIL"},
            {"unbuilt", "PASS", "NOBUILD"}
        };
        for (String[] c : cases) {
            before.add(Verdicts.judge(outcome(c[0], c[1]), List.of()));
            after.add(Verdicts.judge(outcome(c[0], c[2]), List.of()));
        }
        Verdicts.Changes ch = Verdicts.compare(
                before.stream().map(Judgement::outcome).toList(),
                after.stream().map(Judgement::outcome).toList());
        assertThat(ch.newlyFailing()).containsExactly("breaks", "unbuilt");
        assertThat(ch.newlyPassing()).containsExactly("heals");
    }

    private static Outcome outcome(String pkg, String what) {
        return what.equals("NOBUILD")
                ? new Outcome(pkg, "1", T0, false, null, null)
                : new Outcome(pkg, "1", T0, true, TestStatus.valueOf(what), null);
    }

    /** 500 packages with 30 runs of history each (bench/verdicts.sh times this). */
    @Test
    void fiveHundredPackagesWithHistoryAreJudged() {
        Map<String, List<Outcome>> history = new HashMap<>();
        List<Outcome> run = new ArrayList<>();
        for (int p = 0; p < 500; p++) {
            List<Outcome> h = new ArrayList<>();
            for (int d = 0; d < 30; d++) {
                h.add(new Outcome(
                        "p" + p,
                        "1." + d,
                        T0.plusSeconds(d),
                        true,
                        d % 7 == 0 ? TestStatus.FAIL : TestStatus.PASS,
                        null));
            }
            history.put("p" + p, h);
            run.add(new Outcome("p" + p, "1.30", T0, true, p % 3 == 0 ? TestStatus.FAIL : TestStatus.PASS, null));
        }
        List<Judgement> js = Verdicts.judge(run, history);
        assertThat(js).hasSize(500);
        assertThat(js.stream().filter(j -> j.verdict() == Verdict.REGRESSION)).hasSize(167);
    }

    @Test
    void whatMovedUnderneathComesFromTwoBuildinfoFiles(@TempDir Path dir) throws Exception {
        // A real .buildinfo: dpkg-buildpackage -b of a tiny package, as dpkg-genbuildinfo writes it.
        Path tree = Files.createDirectories(dir.resolve("tiny-1.0/debian"));
        Files.writeString(
                tree.resolve("control"),
                "Source: tiny\nMaintainer: T <t@example.org>\n\nPackage: tiny\nArchitecture: all\n"
                        + "Description: tiny\n tiny\n");
        Files.writeString(
                tree.resolve("changelog"),
                "tiny (1.0) unstable; urgency=medium\n\n  * First.\n\n -- T <t@example.org>  "
                        + "Mon, 30 Nov 2026 10:00:00 +0000\n");
        Files.writeString(
                tree.resolve("rules"),
                "#!/usr/bin/make -f\nbuild build-arch build-indep:\nbinary binary-arch binary-indep:\n"
                        + "\tmkdir -p debian/tmp/DEBIAN\n\tdpkg-gencontrol -ptiny\n\tdpkg-deb --root-owner-group -b debian/tmp ..\nclean:\n"
                        + "\trm -rf debian/tmp\n");
        tree.resolve("rules").toFile().setExecutable(true);
        Files.createDirectories(tree.resolve("source"));
        Files.writeString(tree.resolve("source/format"), "3.0 (native)\n");
        Tools.run(dir.resolve("tiny-1.0"), "dpkg-buildpackage", "-b", "-uc", "-us", "-d")
                .orFail("dpkg-buildpackage");
        String real = Files.readString(Files.list(dir)
                .filter(p -> p.toString().endsWith(".buildinfo"))
                .findFirst()
                .orElseThrow());
        assertThat(real).contains("Installed-Build-Depends:");
        String dpkgLine = real.lines()
                .filter(l -> l.strip().startsWith("dpkg (="))
                .findFirst()
                .orElseThrow();
        String later = real.replace(dpkgLine, " dpkg (= 9.9.9),").replace("Version: 1.0", "Version: 1.1");
        BuildinfoDiff.Result r = BuildinfoDiff.of(real, later);
        assertThat(r.sourceBefore()).isEqualTo("1.0");
        assertThat(r.sourceAfter()).isEqualTo("1.1");
        assertThat(r.moved()).singleElement().satisfies(m -> {
            assertThat(m.pkg()).isEqualTo("dpkg");
            assertThat(m.after()).isEqualTo("9.9.9");
            assertThat(m.before()).isNotEqualTo("9.9.9").isNotNull();
        });
        assertThat(BuildinfoDiff.of(real, real).moved()).isEmpty();
    }
}
