package org.ppaforge.qa.autopkgtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ppaforge.farm.sbuild.Tools;
import org.ppaforge.qa.verdict.TestStatus;

/**
 * Runs a source package's autopkgtests with Debian's {@code autopkgtest} in an {@code autopkgtest-virt-unshare} testbed
 * made from a chroot tarball (the build farm's): {@code autopkgtest -U --output-dir OUT PKG.dsc [DEBS...] -- unshare -t
 * TARBALL}. Given the rebuilt {@code .deb}s, the tests run against them; without, autopkgtest builds the package first.
 * The outcome is its exit status ({@link TestStatus#ofExit}) and the per-test lines of its {@code summary} file.
 */
public final class Autopkgtest {
    /** The result: the exit status (-1: killed at the timeout, a testbed failure), its meaning, each test's result line. */
    public record Result(int exit, TestStatus status, Map<String, String> tests, Path outputDir) {}

    private Autopkgtest() {}

    public static Result run(
            Path dsc, List<Path> debs, Path tarball, Path outputDir, Duration timeout, Consumer<String> log)
            throws IOException, InterruptedException {
        List<String> cmd =
                new ArrayList<>(List.of("autopkgtest", "-U", "--output-dir", outputDir.toString(), dsc.toString()));
        debs.forEach(d -> cmd.add(d.toString()));
        cmd.addAll(List.of("--", "unshare", "-t", tarball.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C.UTF-8");
        int exit = Tools.run(pb, timeout, log);
        boolean timedOut = exit == Tools.TIMED_OUT;
        return new Result(
                exit,
                timedOut ? TestStatus.TEMPORARY : TestStatus.ofExit(exit),
                summary(outputDir.resolve("summary")),
                outputDir);
    }

    /** {@code NAME  RESULT [message]} lines of autopkgtest's summary file. */
    static Map<String, String> summary(Path file) throws IOException {
        Map<String, String> tests = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return tests;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.strip().split("\\s+", 2);
            if (f.length == 2) {
                tests.put(f[0], f[1]);
            }
        }
        return tests;
    }
}
