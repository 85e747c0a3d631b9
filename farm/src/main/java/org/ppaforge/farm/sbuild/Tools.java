package org.ppaforge.farm.sbuild;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ppaforge.common.ForgeException;

/**
 * Whether the external tools builds need are installed, the one line saying what to install when not, and running a tool
 * with a time limit while its output goes to a log.
 */
public final class Tools {
    private Tools() {}

    /** This machine's Debian architecture ({@code dpkg --print-architecture}; amd64 when dpkg cannot say). */
    public static String hostArchitecture() {
        try {
            Process p = new ProcessBuilder("dpkg", "--print-architecture").start();
            String a = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 && !a.isEmpty() ? a : "amd64";
        } catch (IOException e) {
            return "amd64";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "amd64";
        }
    }

    public static boolean installed(String command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Throws "X is not installed: apt-get install P" unless {@code command} is on the PATH. */
    public static void require(String command, String debianPackage) {
        if (!installed(command)) {
            throw new ForgeException(
                    ForgeException.Kind.INVALID, command + " is not installed: apt-get install " + debianPackage);
        }
    }

    /** The exit status {@link #run} gives for a tool it stopped at its time limit. */
    public static final int TIMED_OUT = -1;

    /**
     * Starts {@code pb} (no input; stderr should be merged into stdout), hands its output to {@code log} as it comes, and
     * returns its exit status, or {@link #TIMED_OUT} when it ran past {@code timeout} and was killed with everything it
     * started. When the calling thread is interrupted the tool is killed the same way and the interruption is rethrown.
     */
    public static int run(ProcessBuilder pb, Duration timeout, Consumer<String> log)
            throws IOException, InterruptedException {
        Process p = pb.start();
        p.getOutputStream().close();
        Thread pump = new Thread(
                () -> {
                    byte[] buf = new byte[8192];
                    try (InputStream in = p.getInputStream()) {
                        for (int n; (n = in.read(buf)) > 0; ) {
                            log.accept(new String(buf, 0, n, StandardCharsets.UTF_8));
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                },
                "tool-log");
        pump.start();
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(p);
            throw e;
        }
        if (!finished) {
            kill(p);
        }
        pump.join(5000);
        return finished ? p.exitValue() : TIMED_OUT;
    }

    private static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }
}
