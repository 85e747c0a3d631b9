package org.ppaforge.farm.sbuild;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.ppaforge.common.ForgeException;

/** Runs mmdebstrap to make a build chroot tarball ({@code --variant=buildd}, as sbuild's unshare mode expects). */
public final class Mmdebstrap {
    private String suite;
    private String architecture;
    private String mirror;
    private Path keyring;
    private List<String> include = List.of();

    public Mmdebstrap suite(String suite) {
        this.suite = suite;
        return this;
    }

    public Mmdebstrap architecture(String architecture) {
        this.architecture = architecture;
        return this;
    }

    public Mmdebstrap mirror(String mirror) {
        this.mirror = mirror;
        return this;
    }

    public Mmdebstrap keyring(Path keyring) {
        this.keyring = keyring;
        return this;
    }

    /** Packages to have in the chroot already (common build-dependencies such as debhelper: faster builds). */
    public Mmdebstrap include(List<String> packages) {
        this.include = List.copyOf(packages);
        return this;
    }

    public List<String> command(Path output) {
        List<String> cmd =
                new ArrayList<>(List.of("mmdebstrap", "--variant=buildd", "--architectures=" + architecture));
        if (!include.isEmpty()) {
            cmd.add("--include=" + String.join(",", include));
        }
        if (keyring != null) {
            cmd.add("--keyring=" + keyring);
        }
        cmd.add(suite);
        cmd.add(output.toString());
        cmd.add(mirror);
        return cmd;
    }

    /** Makes the tarball (its name's extension picks the compression: .tar.zst), each line of output to {@code progress}. */
    public void run(Path output, Consumer<String> progress) throws IOException, InterruptedException {
        Tools.require("mmdebstrap", "mmdebstrap");
        Process p =
                new ProcessBuilder(command(output)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        List<String> last = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                progress.accept(line);
                last.add(line);
                if (last.size() > 20) {
                    last.remove(0);
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0) {
            throw new ForgeException(
                    ForgeException.Kind.INVALID, "mmdebstrap failed (exit " + exit + "):\n" + String.join("\n", last));
        }
    }
}
