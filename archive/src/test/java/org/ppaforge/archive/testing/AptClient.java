package org.ppaforge.archive.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.ppaforge.debian.testing.Tools;

/**
 * A real apt client with private directories (nothing of the machine's apt state is read
 * or changed), as in the domain notes: its own sources, lists and cache.
 */
public final class AptClient {
    private final Path dir;

    public AptClient(Path dir, String sourcesStanza) throws IOException {
        this.dir = dir;
        for (String d : List.of(
                "etc/sources.list.d",
                "etc/preferences.d",
                "etc/apt.conf.d",
                "etc/trusted.gpg.d",
                "state/lists/partial",
                "cache/archives/partial")) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.writeString(dir.resolve("etc/sources.list"), "");
        Files.writeString(dir.resolve("etc/sources.list.d/test.sources"), sourcesStanza);
    }

    private final List<String> options = new ArrayList<>();

    /** An apt option ({@code -o NAME=VALUE}) for every command of this client, e.g. {@code Acquire::https::CaInfo=FILE}. */
    public AptClient option(String nameEqualsValue) {
        options.add("-o");
        options.add(nameEqualsValue);
        return this;
    }

    private List<String> command(String tool, String... args) {
        List<String> c = new ArrayList<>(List.of(
                tool,
                "-o",
                "Dir::Etc=" + dir.resolve("etc"),
                "-o",
                "Dir::Etc::SourceList=" + dir.resolve("etc/sources.list"),
                "-o",
                "Dir::Etc::SourceParts=" + dir.resolve("etc/sources.list.d"),
                "-o",
                "Dir::Etc::TrustedParts=" + dir.resolve("etc/trusted.gpg.d"),
                "-o",
                "Dir::State=" + dir.resolve("state"),
                "-o",
                "Dir::Cache=" + dir.resolve("cache"),
                "-o",
                "Dir::State::status=/var/lib/dpkg/status",
                "-o",
                "Debug::NoLocking=1",
                "-o",
                "APT::Sandbox::User=root",
                "-o",
                "APT::Architecture=amd64",
                "-o",
                "APT::Architectures=amd64",
                "-o",
                "Acquire::Languages=none"));
        c.addAll(options);
        c.addAll(List.of(args));
        return c;
    }

    public Tools.Result run(String tool, String... args) {
        return Tools.run(dir, null, command(tool, args));
    }

    /** {@code apt-get update}; apt exits 0 on some fetch failures, so warnings and errors on stderr count as failure. */
    public Tools.Result update() {
        Tools.Result r = run("apt-get", "update");
        if (r.exit() == 0 && (r.err().contains("W:") || r.err().contains("E:"))) {
            return new Tools.Result(100, r.out(), r.err());
        }
        return r;
    }

    public String policy(String pkg) {
        return run("apt-cache", "policy", pkg).orFail("apt-cache policy").out();
    }

    /** Writes apt's auth.conf (netrc format) for this client, readable only by its owner. */
    public void authConf(String text) throws IOException {
        Path f = dir.resolve("etc/auth.conf");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    }

    public Path dir() {
        return dir;
    }
}
