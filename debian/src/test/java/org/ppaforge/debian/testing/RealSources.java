package org.ppaforge.debian.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ppaforge.debian.Version;

/**
 * Real Debian source packages, fetched with {@code apt-get source --download-only} from the Debian mirror through a
 * private apt configuration (a deb-src line of its own; the machine's apt setup is not touched), and kept in a cache
 * so a second run fetches nothing.
 */
public final class RealSources {
    /**
     * Chosen for what breaks naive upload paths: freetype has three orig tarballs (orig-ft2demos, orig-ft2docs) with
     * .asc signatures and {@code +dfsg}/{@code +deb12u} in its version; crowdsec a {@code ~deb12u} and three orig
     * tarballs; dovecot an epoch, two orig tarballs and about 9 MB. Their versions are read from the mirror's index
     * when a test runs ({@link #current}), never pinned: a stable update replaces a {@code +deb12uN} on the mirror.
     */
    public static final List<String> PACKAGES = List.of("freetype", "crowdsec", "dovecot");

    private static final String MIRROR = "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
            + "http://deb.debian.org/debian bookworm main\n";

    private RealSources() {}

    /** A cache directory that outlives the checkout when the machine allows it (CI reruns fetch nothing). */
    public static Path defaultCache() {
        Path shared = Path.of("/var/cache/ppaforge-tests");
        try {
            Files.createDirectories(shared);
            if (Files.isWritable(shared)) {
                return shared;
            }
        } catch (IOException e) {
            // fall through
        }
        return Path.of("target/test-cache").toAbsolutePath();
    }

    /**
     * {@code name=version} of the newest version of a source package the mirror's bookworm index lists now (the index
     * is fetched again when it is a day old).
     */
    public static String current(Path cacheDir, String name) throws IOException {
        Path apt = cacheDir.resolve("apt-src");
        List<String> options = prepare(apt);
        Path lists = apt.resolve("state/lists");
        boolean stale = !hasSources(apt)
                || Files.getLastModifiedTime(lists)
                        .toInstant()
                        .isBefore(java.time.Instant.now().minusSeconds(86_400));
        if (stale) {
            Tools.run(apt, null, concat(List.of("apt-get"), options, List.of("update")))
                    .orFail("apt-get update (deb-src bookworm)");
            Files.setLastModifiedTime(lists, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
        }
        Tools.Result r = Tools.run(apt, null, concat(List.of("apt-cache"), options, List.of("showsrc", name)));
        r.orFail("apt-cache showsrc " + name);
        String best = null;
        for (String line : r.out().split("\n")) {
            if (line.startsWith("Version: ")) {
                String v = line.substring(9).strip();
                if (best == null || Version.parse(v).compareTo(Version.parse(best)) > 0) {
                    best = v;
                }
            }
        }
        if (best == null) {
            throw new AssertionError("the mirror's bookworm index lists no source " + name);
        }
        return name + "=" + best;
    }

    /** The private apt configuration's options (its directories made, its deb-src line written). */
    private static List<String> prepare(Path apt) throws IOException {
        for (String d : List.of("etc/sources.list.d", "state/lists/partial", "cache/archives/partial")) {
            Files.createDirectories(apt.resolve(d));
        }
        Files.writeString(apt.resolve("etc/sources.list"), MIRROR);
        return List.of(
                "-o",
                "Dir::Etc=" + apt.resolve("etc"),
                "-o",
                "Dir::Etc::SourceList=" + apt.resolve("etc/sources.list"),
                "-o",
                "Dir::Etc::SourceParts=" + apt.resolve("etc/sources.list.d"),
                "-o",
                "Dir::State=" + apt.resolve("state"),
                "-o",
                "Dir::Cache=" + apt.resolve("cache"),
                "-o",
                "Debug::NoLocking=1",
                "-o",
                "APT::Sandbox::User=root",
                "-q");
    }

    /** The .dsc of {@code name=version} (fetched once), its files beside it. */
    public static Path dsc(Path cacheDir, String nameEqualsVersion) throws IOException {
        String name = nameEqualsVersion.substring(0, nameEqualsVersion.indexOf('='));
        String version = nameEqualsVersion.substring(nameEqualsVersion.indexOf('=') + 1);
        String noEpoch = version.substring(version.indexOf(':') + 1);
        Path dir = Files.createDirectories(cacheDir.resolve("sources"));
        Path dsc = dir.resolve(name + "_" + noEpoch + ".dsc");
        if (Files.isRegularFile(dsc)) {
            return dsc;
        }
        Path apt = cacheDir.resolve("apt-src");
        boolean fresh = !Files.isDirectory(apt.resolve("state/lists"));
        List<String> options = prepare(apt);
        if (fresh || !hasSources(apt)) {
            Tools.run(dir, null, concat(List.of("apt-get"), options, List.of("update")))
                    .orFail("apt-get update (deb-src bookworm)");
        }
        Tools.Result r = Tools.run(
                dir,
                null,
                concat(List.of("apt-get"), options, List.of("source", "--download-only", nameEqualsVersion)));
        if (r.exit() != 0) { // the index may be older than the mirror: once more after an update
            Tools.run(dir, null, concat(List.of("apt-get"), options, List.of("update")))
                    .orFail("apt-get update (deb-src bookworm)");
            Tools.run(
                            dir,
                            null,
                            concat(
                                    List.of("apt-get"),
                                    options,
                                    List.of("source", "--download-only", nameEqualsVersion)))
                    .orFail("apt-get source " + nameEqualsVersion);
        }
        if (!Files.isRegularFile(dsc)) {
            throw new AssertionError("apt-get source " + nameEqualsVersion + " did not produce " + dsc);
        }
        return dsc;
    }

    private static boolean hasSources(Path apt) throws IOException {
        try (Stream<Path> s = Files.list(apt.resolve("state/lists"))) {
            return s.anyMatch(p -> p.getFileName().toString().contains("_source_Sources"));
        }
    }

    private static List<String> concat(List<String> a, List<String> b, List<String> c) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all;
    }
}
