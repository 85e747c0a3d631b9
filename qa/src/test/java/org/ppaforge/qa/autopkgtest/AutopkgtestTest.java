package org.ppaforge.qa.autopkgtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.farm.testing.TestChroots;
import org.ppaforge.qa.verdict.TestStatus;

/**
 * Real autopkgtest runs in autopkgtest-virt-unshare testbeds made from the build farm's bookworm tarball: a package with a
 * passing and a failing test (exit 4, FAIL, both lines), and one without tests (exit 8, NEUTRAL). About 20 s each.
 */
class AutopkgtestTest {
    @TempDir
    Path dir;

    private Path source(String name, String testsControl) throws Exception {
        Path tree = Files.createDirectories(dir.resolve(name + "-1.0/debian/source"));
        Path debian = tree.getParent();
        Files.writeString(
                debian.resolve("control"),
                "Source: " + name + "\nMaintainer: T <t@example.org>\nBuild-Depends: "
                        + "debhelper-compat (= 13)\nStandards-Version: 4.6.2\n\nPackage: " + name
                        + "\nArchitecture: all\nDescription: test\n test\n");
        Files.writeString(
                debian.resolve("changelog"),
                name + " (1.0) unstable; urgency=medium\n\n  * First.\n\n -- T <t@example.org>  "
                        + "Mon, 30 Nov 2026 10:00:00 +0000\n");
        Files.writeString(debian.resolve("rules"), "#!/usr/bin/make -f\n%:\n\tdh $@\n");
        debian.resolve("rules").toFile().setExecutable(true);
        Files.writeString(tree.resolve("format"), "3.0 (native)\n");
        if (testsControl != null) {
            Files.createDirectories(debian.resolve("tests"));
            Files.writeString(debian.resolve("tests/control"), testsControl);
        }
        Tools.run(dir, "dpkg-source", "-b", name + "-1.0").orFail("dpkg-source -b");
        return dir.resolve(name + "_1.0.dsc");
    }

    @Test
    void aFailingTestAndAPackageWithoutTestsAreToldApart() throws Exception {
        Path tarball = TestChroots.bookworm();
        StringBuilder log = new StringBuilder();
        Autopkgtest.Result r = Autopkgtest.run(
                source("smoke", "Test-Command: echo ok\n\nTest-Command: echo broken; exit 1\n"),
                List.of(),
                tarball,
                dir.resolve("out1"),
                Duration.ofMinutes(10),
                log::append);
        assertThat(r.exit()).as(log.toString()).isEqualTo(4);
        assertThat(r.status()).isEqualTo(TestStatus.FAIL);
        assertThat(r.tests())
                .containsEntry("command1", "PASS")
                .containsEntry("command2", "FAIL non-zero exit status 1");
        assertThat(log).contains("summary");

        Autopkgtest.Result none = Autopkgtest.run(
                source("quiet", null), List.of(), tarball, dir.resolve("out2"), Duration.ofMinutes(10), x -> {});
        assertThat(none.exit()).isEqualTo(8);
        assertThat(none.status()).isEqualTo(TestStatus.NEUTRAL);
    }
}
