package org.ppaforge.debian.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ppaforge.debian.Version;

/** Real packages from Debian (apt-get download), and .debs built by the real dpkg-deb. */
public final class RealDebs {
    /** Small real packages; all are built with xz members in bookworm. */
    public static final List<String> PACKAGES = List.of("hello", "sl", "cowsay", "dctrl-tools", "libjs-jquery-hotkeys");

    private RealDebs() {}

    /** Downloads (once, into a cache) the named packages and returns their files. */
    public static List<Path> download(Path cacheDir, List<String> packages) throws IOException {
        Path dir = cacheDir.resolve("debs");
        Files.createDirectories(dir);
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String p : packages) {
            Path f = find(dir, p);
            if (f == null) {
                missing.add(p);
            } else {
                found.add(f);
            }
        }
        if (!missing.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("apt-get", "download", "-q"));
            cmd.addAll(missing);
            Tools.run(dir, null, cmd).orFail("apt-get download " + missing + " (run 'apt-get update' first)");
            for (String p : missing) {
                Path f = find(dir, p);
                if (f == null) {
                    throw new AssertionError("apt-get download did not produce " + p);
                }
                found.add(f);
            }
        }
        return found;
    }

    /**
     * The versions of a package the machine's apt sources serve today (read from their indices with
     * {@code apt-cache madison}, newest first), so a test never pins a {@code +deb12uN} that the mirror has moved past.
     */
    public static List<String> versions(String pkg) throws IOException {
        Tools.Result r = Tools.run(Path.of("/"), null, List.of("apt-cache", "madison", pkg));
        r.orFail("apt-cache madison " + pkg + " (run 'apt-get update' first)");
        List<String> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            String[] f = line.split("\\|");
            if (f.length >= 3 && f[0].strip().equals(pkg) && !out.contains(f[1].strip())) {
                out.add(f[1].strip());
            }
        }
        out.sort((a, b) -> Version.parse(b).compareTo(Version.parse(a)));
        return out;
    }

    /** Downloads (once, into a cache) {@code pkg} at {@code version}: {@code apt-get download pkg=version}. */
    public static Path download(Path cacheDir, String pkg, String version) throws IOException {
        Path dir = Files.createDirectories(cacheDir.resolve("debs-versions"));
        String epochless = version.contains(":") ? version.substring(version.indexOf(':') + 1) : version;
        try (Stream<Path> files = Files.list(dir)) {
            Path have = files.filter(f -> f.getFileName().toString().startsWith(pkg + "_")
                            && f.getFileName().toString().contains("_" + epochless.replace(":", "%3a") + "_"))
                    .findFirst()
                    .orElse(null);
            if (have != null) {
                return have;
            }
        }
        Tools.run(dir, null, List.of("apt-get", "download", "-q", pkg + "=" + version))
                .orFail("apt-get download " + pkg + "=" + version);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(pkg + "_")
                            && f.getFileName().toString().contains("_" + epochless + "_"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("apt-get download did not produce " + pkg + "=" + version));
        }
    }

    private static Path find(Path dir, String pkg) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(pkg + "_")
                            && f.toString().endsWith(".deb"))
                    .findFirst()
                    .orElse(null);
        }
    }

    /**
     * Builds a small package with the real dpkg-deb.
     *
     * @param compression dpkg-deb's -Z value: gzip, xz, zstd or none
     */
    public static Path build(Path work, String name, String version, String arch, String compression)
            throws IOException {
        return build(work, name, version, arch, compression, null, "");
    }

    /**
     * Builds a package of source {@code source} (null: same as name) whose README holds
     * {@code payload} (so two builds with different payloads differ in content).
     */
    public static Path build(
            Path work, String name, String version, String arch, String compression, String source, String payload)
            throws IOException {
        Path root = Files.createTempDirectory(work, name + "-tree");
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.createDirectories(root.resolve("usr/share/doc/" + name));
        Files.createDirectories(root.resolve("usr/bin"));
        Files.writeString(root.resolve("DEBIAN/control"), """
                Package: %s
                %sVersion: %s
                Architecture: %s
                Maintainer: Test <test@example.org>
                Depends: libc6 (>= 2.34), foo | bar:any
                Section: misc
                Priority: optional
                Description: test package %s
                 A package built by the test suite.
                 .
                 Second paragraph.
                """.formatted(
                        name, source == null ? "" : "Source: " + source + "\n", version, arch, name));
        Files.writeString(root.resolve("usr/share/doc/" + name + "/README"), "hello from " + name + "\n" + payload);
        Files.writeString(root.resolve("usr/bin/" + name), "#!/bin/sh\necho " + name + "\n");
        Files.createSymbolicLink(root.resolve("usr/bin/" + name + "-link"), Path.of(name));
        Path deb = Files.createTempDirectory(work, "deb")
                .resolve(name + "_" + version.replace(":", "%3a") + "_" + arch + ".deb");
        Tools.run(
                        work,
                        null,
                        List.of(
                                "dpkg-deb",
                                "--root-owner-group",
                                "-Z" + compression,
                                "--build",
                                root.toString(),
                                deb.toString()))
                .orFail("dpkg-deb --build");
        return deb;
    }

    /** Repacks a .deb with its data member recompressed by an external tool (bzip2, lzma). */
    public static Path repackData(Path work, Path deb, String tool, String suffix) throws IOException {
        Path dir = Files.createTempDirectory(work, "repack");
        Tools.run(dir, "ar", "x", deb.toString()).orFail("ar x");
        String data;
        try (Stream<Path> files = Files.list(dir)) {
            data = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("data.tar"))
                    .findFirst()
                    .orElseThrow();
        }
        String control;
        try (Stream<Path> files = Files.list(dir)) {
            control = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("control.tar"))
                    .findFirst()
                    .orElseThrow();
        }
        Tools.run(dir, "xz", "-d", "-f", data).orFail("xz -d");
        Tools.run(dir, tool, "-k", "-f", "data.tar").orFail(tool);
        Path out = work.resolve(deb.getFileName().toString().replace(".deb", "." + suffix + "data.deb"));
        Tools.run(dir, "ar", "rc", out.toString(), "debian-binary", control, "data.tar." + suffix)
                .orFail("ar rc");
        return out;
    }
}
