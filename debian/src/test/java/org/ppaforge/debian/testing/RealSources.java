package org.ppaforge.debian.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real Debian source packages, fetched with {@code apt-get source --download-only} from the Debian mirror through a
 * private apt configuration (a deb-src line of its own; the machine's apt setup is not touched), and kept in a cache
 * so a second run fetches nothing.
 */
public final class RealSources {
    /**
     * Chosen for what breaks naive upload paths: freetype has three orig tarballs (orig-ft2demos, orig-ft2docs) with
     * .asc signatures and {@code +dfsg}/{@code +deb12u} in its version; crowdsec a {@code ~deb12u1} and three orig tarballs; dovecot
     * an epoch, two orig tarballs and about 9 MB.
     */
    public static final List<String> PACKAGES = List.of(
            "freetype=2.12.1+dfsg-5+deb12u4", "crowdsec=1.4.6-6~deb12u1", "dovecot=1:2.3.19.1+dfsg1-2.1+deb12u6");

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
        List<String> options = List.of(
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
        boolean fresh = !Files.isDirectory(apt.resolve("state/lists"));
        for (String d : List.of("etc/sources.list.d", "state/lists/partial", "cache/archives/partial")) {
            Files.createDirectories(apt.resolve(d));
        }
        Files.writeString(apt.resolve("etc/sources.list"), MIRROR);
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
