package org.ppaforge.qa.autopkgtest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ppaforge.qa.verdict.TestStatus;

/**
 * Runs a source package's autopkgtests with Debian's {@code autopkgtest} in an {@code autopkgtest-virt-unshare} testbed
 * made from a chroot tarball (the build farm's): {@code autopkgtest -U --output-dir OUT PKG.dsc [DEBS...] -- unshare -t
 * TARBALL}. Given the rebuilt {@code .deb}s, the tests run against them; without, autopkgtest builds the package first.
 * The outcome is its exit status ({@link TestStatus#ofExit}) and the per-test lines of its {@code summary} file.
 */
public final class Autopkgtest {
    /** The result: the exit status (-1: killed at the timeout, a testbed failure), its meaning, each test's result line. */
    public record Result(int exit, TestStatus status, Map<String, String> tests, Path outputDir) {
    }

    private Autopkgtest() {
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/autopkgtest"));
    }

    public static Result run(Path dsc, List<Path> debs, Path tarball, Path outputDir, Duration timeout, Consumer<String> log)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("autopkgtest", "-U", "--output-dir", outputDir.toString(), dsc.toString()));
        debs.forEach(d -> cmd.add(d.toString()));
        cmd.addAll(List.of("--", "unshare", "-t", tarball.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        p.getOutputStream().close();
        Thread pump = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = p.getInputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    log.accept(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "autopkgtest-log");
        pump.start();
        boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        pump.join(5000);
        int exit = finished ? p.exitValue() : -1;
        return new Result(exit, finished ? TestStatus.ofExit(exit) : TestStatus.TEMPORARY, summary(outputDir.resolve("summary")),
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
