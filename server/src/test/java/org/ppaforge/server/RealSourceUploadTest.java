package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.testing.AptClient;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.debian.testing.RealSources;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * Real Debian source packages (fetched from the mirror with apt-get source: several MB, several orig tarballs with
 * .asc signatures, '+', '~' and an epoch in their versions), re-signed by a test uploader with debsign, uploaded with
 * the real dput, then fetched back with the real apt-get source and compared byte for byte.
 */
class RealSourceUploadTest {
    @TempDir
    static Path data;

    @TempDir
    static Path work;

    private static Forge forge;

    static Ppaforge ppa;
    static PpaServer server;
    static Map<String, String> env;
    static String uploader;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        forge = Forge.open(ForgeConfig.of(data));
        ppa = forge.archive();
        ppa.createArchive()
                .name("trunk")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        Path gnupg = Files.createDirectory(
                work.resolve("gnupg"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        env = Map.of("GNUPGHOME", gnupg.toString(), "DEBEMAIL", "pat@example.org", "DEBFULLNAME", "Pat Packager");
        Tools.run(
                        work,
                        null,
                        env,
                        List.of(
                                "gpg",
                                "--batch",
                                "--passphrase",
                                "",
                                "--quick-gen-key",
                                "Pat Packager <pat@example.org>",
                                "ed25519",
                                "sign",
                                "1y"))
                .orFail("gpg --quick-gen-key");
        uploader = Tools.run(work, null, env, List.of("gpg", "--with-colons", "--list-keys", "pat@example.org"))
                .orFail("gpg")
                .out()
                .lines()
                .filter(l -> l.startsWith("fpr:"))
                .findFirst()
                .orElseThrow()
                .split(":")[9];
        ppa.addUploader()
                .archive("trunk")
                .key(
                        Tools.run(work, null, env, List.of("gpg", "--armor", "--export", uploader))
                                .orFail("gpg --export")
                                .out()
                                .getBytes(StandardCharsets.US_ASCII),
                        "pat.asc")
                .call();
        token = ppa.createToken()
                .name("pat")
                .role("uploader")
                .archive("trunk")
                .call()
                .secret();
        server = new PpaServer(forge, "127.0.0.1", 0).start();
    }

    @AfterAll
    static void stop() {
        server.close();
        forge.close();
    }

    @Test
    void realSourcePackagesGoThroughDputAndComeBackThroughAptGetSource() throws Exception {
        Path cache = RealSources.defaultCache();
        List<String> names = new ArrayList<>();
        List<String> uploaded = new ArrayList<>();
        long largest = 0;
        for (String name : RealSources.PACKAGES) {
            String pkg = RealSources.current(cache, name);
            uploaded.add(pkg.replace('=', ' '));
            Path original = RealSources.dsc(cache, pkg);
            Path changes = sourceChanges(original);
            long size = uploadSize(changes);
            largest = Math.max(largest, size);
            long t0 = System.nanoTime();
            Tools.Result r = dput(changes);
            System.out.printf(
                    "dput %s: %d bytes in %.2f s%n", changes.getFileName(), size, (System.nanoTime() - t0) / 1e9);
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("Successfully uploaded");
            names.add(pkg.substring(0, pkg.indexOf('=')));
        }
        assertThat(largest)
                .as("the corpus has a file set over Undertow's default 2 MiB")
                .isGreaterThan(8L << 20);
        assertThat(ppa.list().archive("trunk").call())
                .extracting(e -> e.source() + " " + e.version())
                .containsExactlyInAnyOrderElementsOf(uploaded);
        // What the corpus is chosen for, whatever the versions are today: an epoch, +dfsg and a ~ in versions.
        assertThat(String.join(" ", uploaded))
                .contains("dovecot 1:")
                .contains("+dfsg")
                .contains("~deb12u");

        // apt-get source from the server brings back the same bytes, under the same names ('+', '~', .asc and all).
        String base = "http://127.0.0.1:" + server.port();
        AptClient apt = new AptClient(
                work.resolve("apt"), ppa.aptSources().archive("trunk").url(base).call());
        Tools.Result update = apt.update();
        assertThat(update.exit()).as(update.out() + update.err()).isZero();
        Path fetched = Files.createDirectories(work.resolve("fetched"));
        for (String name : names) {
            Tools.Result r =
                    Tools.run(fetched, null, List.of(command(apt, "apt-get", "source", "--download-only", name)));
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
        }
        Path signed = work.resolve("signed");
        int compared = 0;
        try (Stream<Path> files = Files.list(signed)) {
            for (Path f : files.filter(p -> !p.toString().endsWith(".changes")
                            && !p.toString().endsWith(".upload")
                            && Files.isRegularFile(p))
                    .toList()) {
                Path back = fetched.resolve(f.getFileName());
                assertThat(back).as("apt-get source fetched " + f.getFileName()).exists();
                assertThat(Checksums.of(back).sha256())
                        .isEqualTo(Checksums.of(f).sha256());
                compared++;
            }
        }
        assertThat(compared).as("dsc + tarballs + .asc of three packages").isGreaterThanOrEqualTo(12);
    }

    private static String[] command(AptClient apt, String tool, String... args) {
        // AptClient runs in its own directory; apt-get source writes into the current one, so build the call here.
        List<String> c = new ArrayList<>(List.of(
                tool,
                "-o",
                "Dir::Etc=" + apt.dir().resolve("etc"),
                "-o",
                "Dir::Etc::SourceList=" + apt.dir().resolve("etc/sources.list"),
                "-o",
                "Dir::Etc::SourceParts=" + apt.dir().resolve("etc/sources.list.d"),
                "-o",
                "Dir::State=" + apt.dir().resolve("state"),
                "-o",
                "Dir::Cache=" + apt.dir().resolve("cache"),
                "-o",
                "Dir::State::status=/var/lib/dpkg/status",
                "-o",
                "Debug::NoLocking=1",
                "-o",
                "APT::Sandbox::User=root"));
        c.addAll(List.of(args));
        return c.toArray(String[]::new);
    }

    /**
     * A source-only .changes for a real .dsc, as a packager makes one to re-upload it: unpacked with dpkg-source,
     * dpkg-genchanges -S -sa for series noble, then debsign re-signs the .dsc and the .changes with the test key.
     */
    private static Path sourceChanges(Path originalDsc) throws Exception {
        Path signed = Files.createDirectories(work.resolve("signed"));
        Path dsc = signed.resolve(originalDsc.getFileName());
        String text = Files.readString(originalDsc, StandardCharsets.UTF_8);
        Files.copy(originalDsc, dsc);
        for (String line : text.substring(text.indexOf("\nFiles:") + 1)
                .lines()
                .skip(1)
                .takeWhile(l -> l.startsWith(" "))
                .toList()) {
            String name = line.strip().split("\\s+")[2];
            Files.copy(originalDsc.resolveSibling(name), signed.resolve(name));
        }
        Path tree = signed.resolve(
                "tree-" + originalDsc.getFileName()); // beside the tarballs: dpkg-source links them there
        Tools.run(
                        signed,
                        null,
                        env,
                        List.of(
                                "dpkg-source",
                                "--no-check",
                                "--skip-patches",
                                "-x",
                                dsc.getFileName().toString(),
                                tree.toString()))
                .orFail("dpkg-source -x");
        String base = dsc.getFileName().toString().replaceFirst("\\.dsc$", "");
        Path changes = signed.resolve(base + "_source.changes");
        Tools.run(
                        tree,
                        null,
                        env,
                        List.of("dpkg-genchanges", "-S", "-sa", "-DDistribution=noble", "-u" + signed, "-O" + changes))
                .orFail("dpkg-genchanges");
        Tools.run(
                        signed,
                        null,
                        env,
                        List.of(
                                "debsign",
                                "--re-sign",
                                "-k" + uploader,
                                changes.getFileName().toString()))
                .orFail("debsign");
        return changes;
    }

    private static long uploadSize(Path changes) throws Exception {
        String text = Files.readString(changes);
        long total = Files.size(changes);
        for (String line : text.substring(text.indexOf("\nFiles:") + 1)
                .lines()
                .skip(1)
                .takeWhile(l -> l.startsWith(" "))
                .toList()) {
            total += Long.parseLong(line.strip().split("\\s+")[1]);
        }
        return total;
    }

    private static Tools.Result dput(Path changes) throws Exception {
        Path cf = work.resolve("dput.cf");
        Files.writeString(cf, """
                [ppaforge]
                fqdn = 127.0.0.1:%d
                method = http
                incoming = /upload/trunk
                login = pat
                allow_unsigned_uploads = 0
                """.formatted(server.port()));
        return Tools.run(
                changes.getParent(),
                (token + "\n").getBytes(StandardCharsets.UTF_8),
                env,
                List.of("dput", "-c", cf.toString(), "ppaforge", changes.toString()));
    }
}
