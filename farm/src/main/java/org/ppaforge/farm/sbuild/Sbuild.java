package org.ppaforge.farm.sbuild;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs sbuild in unshare mode ({@code --chroot-mode=unshare --chroot=TARBALL}) on a .dsc and reads what it says: the
 * build directory gets the {@code .changes}, {@code .buildinfo}, {@code .deb}s and the {@code .build} log; the log ends
 * with {@code Status: successful} or another status, and with {@code Fail-Stage: install-deps} when build-dependencies
 * could not be installed (their names follow "unmet dependencies" or "Depends: ... but it is not installable").
 */
public final class Sbuild {
    /** An apt repository for build-dependencies: a one-line source and its key file (may be null). */
    public record ExtraRepository(String line, Path key) {}

    /** How it ended: {@code status} is sbuild's (successful, failed, given-back, attempted, skipped). */
    public record Outcome(int exit, String status, String failStage, String unmet) {
        public boolean successful() {
            return exit == 0 && "successful".equals(status);
        }

        public boolean dependencyWait() {
            return "install-deps".equals(failStage) && unmet != null && !unmet.isBlank();
        }
    }

    private Path chroot;
    private String distribution;
    private String architecture;
    private boolean archAll;
    private Path buildDir;
    private List<ExtraRepository> repositories = List.of();

    public Sbuild chroot(Path tarball) {
        this.chroot = tarball;
        return this;
    }

    public Sbuild distribution(String distribution) {
        this.distribution = distribution;
        return this;
    }

    public Sbuild architecture(String architecture) {
        this.architecture = architecture;
        return this;
    }

    public Sbuild archAll(boolean archAll) {
        this.archAll = archAll;
        return this;
    }

    public Sbuild buildDir(Path dir) {
        this.buildDir = dir;
        return this;
    }

    public Sbuild repositories(List<ExtraRepository> repositories) {
        this.repositories = List.copyOf(repositories);
        return this;
    }

    public List<String> command(Path dsc) {
        List<String> cmd = new ArrayList<>(List.of(
                "sbuild",
                "--chroot-mode=unshare",
                "--chroot=" + chroot,
                "--dist=" + distribution,
                "--arch=" + architecture,
                archAll ? "--arch-all" : "--no-arch-all",
                "--arch-any",
                "--no-source",
                "--no-run-lintian",
                "--no-run-piuparts",
                "--no-run-autopkgtest",
                "--build-dir=" + buildDir,
                "--nolog"));
        for (ExtraRepository r : repositories) {
            cmd.add("--extra-repository=" + r.line());
            if (r.key() != null) {
                cmd.add("--extra-repository-key=" + r.key());
            }
        }
        cmd.add(dsc.toString());
        return cmd;
    }

    /**
     * Builds, sending sbuild's output to {@code log} as it comes; {@code process} receives the process at once (to stop
     * it on cancel).
     */
    public Outcome run(Path dsc, Consumer<String> log, Consumer<Process> process)
            throws IOException, InterruptedException {
        Tools.require("sbuild", "sbuild mmdebstrap uidmap");
        Files.createDirectories(buildDir);
        ProcessBuilder pb =
                new ProcessBuilder(command(dsc)).redirectErrorStream(true).directory(buildDir.toFile());
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        p.getOutputStream().close();
        process.accept(p);
        StringBuilder all = new StringBuilder();
        byte[] buf = new byte[8192];
        try (InputStream in = p.getInputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                String text = new String(buf, 0, n, StandardCharsets.UTF_8);
                log.accept(text);
                if (all.length() < (8 << 20)) {
                    all.append(text);
                } else { // keep the end: the summary is there
                    all.delete(0, all.length() - (1 << 20)).append(text);
                }
            }
        }
        int exit = p.waitFor();
        return parse(exit, all.toString());
    }

    private static final Pattern STATUS = Pattern.compile("(?m)^Status: (\\S+)");
    private static final Pattern FAIL_STAGE = Pattern.compile("(?m)^Fail-Stage: (\\S+)");
    // apt's report; not anchored at a line's start: apt's stderr ("E: ...") may land in the middle of a stdout line.
    private static final Pattern NOT_INSTALLABLE = Pattern.compile(
            "sbuild-build-depends-main-dummy : Depends: ([^\\n]+?) but it is not (?:installable|going to be installed)");
    // dose3's report, which sbuild adds after apt's: one line per unsatisfiable relation, with the build architecture.
    private static final Pattern UNSAT = Pattern.compile("(?m)^\\s*unsat-dependency: ([^\\n]+?)\\s*$");

    /** Reads sbuild's summary out of its output. */
    public static Outcome parse(int exit, String output) {
        String status = last(STATUS.matcher(output));
        String stage = last(FAIL_STAGE.matcher(output));
        List<String> unmet = new ArrayList<>();
        if ("install-deps".equals(stage)) {
            Matcher m = NOT_INSTALLABLE.matcher(output);
            while (m.find()) {
                add(unmet, m.group(1));
            }
            m = UNSAT.matcher(output);
            while (m.find()) {
                add(
                        unmet,
                        m.group(1)
                                .replaceFirst(
                                        "^([^ :(]+):[a-z0-9-]+", "$1")); // libfoo-dev:amd64 (>= 1) -> libfoo-dev (>= 1)
            }
        }
        return new Outcome(exit, status, stage, String.join(", ", unmet));
    }

    private static void add(List<String> unmet, String relation) {
        String r = relation.strip();
        if (!r.isEmpty() && !unmet.contains(r)) {
            unmet.add(r);
        }
    }

    private static String last(Matcher m) {
        String out = null;
        while (m.find()) {
            out = m.group(1);
        }
        return out;
    }
}
