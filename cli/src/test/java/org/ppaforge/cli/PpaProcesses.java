package org.ppaforge.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Real `ppa` processes for tests: the command line on the test class path, with --data-dir after the command words. */
final class PpaProcesses {
    private PpaProcesses() {}

    /** {@code ppa ARGS} as a command line: this JVM's java, on the test class path. */
    static List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(args);
        return cmd;
    }

    static ProcessBuilder ppa(Path data, String... args) {
        List<String> cmd = command(List.of());
        int words = List.of("archive", "key", "token", "uploader", "chroot").contains(args[0]) ? 2 : 1;
        for (int i = 0; i < args.length; i++) {
            if (i == words) {
                cmd.add("--data-dir");
                cmd.add(data.toString());
            }
            cmd.add(args[i]);
        }
        if (args.length <= words) {
            cmd.addAll(List.of("--data-dir", data.toString()));
        }
        return new ProcessBuilder(cmd);
    }

    /** What a finished `ppa` process said. */
    record Result(int exit, String out, String err) {}

    /**
     * Runs `ppa ARGS` to its end with {@code $PPAFORGE_TOKEN} set to {@code token} (unset when null) and {@code home} as
     * $HOME (no config file of the machine's).
     */
    static Result run(Path home, String token, List<String> args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(args));
        pb.environment().remove("PPAFORGE_TOKEN");
        pb.environment().put("HOME", home.toString());
        if (token != null) {
            pb.environment().put("PPAFORGE_TOKEN", token);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }

    /** Reads {@code in} until a line matches {@code pattern}; returns the match (null at the end), all lines read in {@code seen}. */
    static Matcher waitFor(BufferedReader in, String pattern, StringBuilder seen) throws IOException {
        Pattern p = Pattern.compile(pattern);
        for (String line; (line = in.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = p.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        return null;
    }

    static BufferedReader output(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }
}
