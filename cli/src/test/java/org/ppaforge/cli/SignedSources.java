package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ppaforge.debian.testing.Tools;

/**
 * A packager for the build tests: a throwaway gpg key (made once), native source packages that build a real binary
 * with debhelper, signed with debsign, and real dput uploads of them.
 */
final class SignedSources {
    private static final String USER_ID = "Pat <pat@example.org>";

    private final Path work;
    private final Path gnupg;
    private final Path publicKey;
    final Map<String, String> env;

    SignedSources(Path work) throws IOException {
        this.work = work;
        gnupg = work.resolve("gnupg");
        publicKey = Tools.gpgPublicKey(gnupg, USER_ID, work.resolve("pat.asc"));
        env = Map.of("GNUPGHOME", gnupg.toString(), "DEBEMAIL", "pat@example.org", "DEBFULLNAME", "Pat Packager");
    }

    /** The packager's public key, ASCII-armoured (what an archive's uploaders keyring takes). */
    byte[] publicKey() throws IOException {
        return Files.readAllBytes(publicKey);
    }

    /**
     * A native source package for bookworm: {@code hello-NAME} prints a line; {@code NAME-doc} is Architecture: all.
     * Options: build-depends (extra), no install file (dh_missing fails the build), a sleep during the build.
     */
    Path source(String name, String version, String buildDepends, boolean broken, int sleep) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name + "-" + version + "-src"));
        Path tree = Files.createDirectories(dir.resolve(name + "-" + version).resolve("debian/source"));
        tree = tree.getParent().getParent();
        Files.writeString(
                tree.resolve("hello.c"),
                "#include <stdio.h>\nint main(void){puts(\"hello from " + name + "\");return 0;}\n");
        Files.writeString(
                tree.resolve("Makefile"),
                "all: hello-" + name + "\nhello-" + name + ": hello.c\n\t$(CC) $(CFLAGS) -o $@ $<\n"
                        + "install:\n\tinstall -D -m755 hello-" + name + " $(DESTDIR)/usr/bin/hello-" + name + "\n");
        Files.writeString(tree.resolve("debian/source/format"), "3.0 (native)\n");
        Files.writeString(
                tree.resolve("debian/control"), """
                Source: %1$s
                Section: misc
                Priority: optional
                Maintainer: Pat Packager <pat@example.org>
                Build-Depends: debhelper-compat (= 13)%2$s
                Standards-Version: 4.6.2

                Package: hello-%1$s
                Architecture: any
                Depends: ${shlibs:Depends}, ${misc:Depends}
                Description: test program
                 Built by ppaforge's build farm test.

                Package: %1$s-doc
                Architecture: all
                Depends: ${misc:Depends}
                Description: test documentation
                 Built by ppaforge's build farm test.
                """.formatted(name, buildDepends == null ? "" : ", " + buildDepends));
        Files.writeString(tree.resolve("debian/changelog"), """
                %s (%s) bookworm; urgency=medium

                  * Test.

                 -- Pat Packager <pat@example.org>  Wed, 02 Dec 2026 05:00:00 +0000
                """.formatted(name, version));
        Files.writeString(
                tree.resolve("debian/rules"),
                "#!/usr/bin/make -f\n%:\n\tdh $@\n"
                        + (sleep == 0
                                ? ""
                                : "override_dh_auto_build:\n\techo sleeping; sleep " + sleep + "\n\tdh_auto_build\n"));
        tree.resolve("debian/rules").toFile().setExecutable(true);
        Files.writeString(tree.resolve("README"), "read me\n");
        Files.writeString(tree.resolve("debian/" + name + "-doc.docs"), "README\n");
        if (!broken) {
            Files.writeString(tree.resolve("debian/hello-" + name + ".install"), "usr/bin/hello-" + name + "\n");
        }
        Tools.run(dir, null, env, List.of("dpkg-source", "-b", name + "-" + version))
                .orFail("dpkg-source -b");
        Path changes = dir.resolve(name + "_" + version + "_source.changes");
        Files.writeString(
                changes,
                Tools.run(tree, null, env, List.of("dpkg-genchanges", "-S"))
                        .orFail("dpkg-genchanges")
                        .out());
        Tools.debsign(gnupg, USER_ID, changes);
        return changes;
    }

    /** Uploads {@code changes} with real dput (method http) to {@code archive} on the server at {@code port}. */
    Tools.Result dput(int port, String archive, String token, Path changes) throws IOException {
        Path cf = Files.createTempFile(work, "dput", ".cf");
        Files.writeString(
                cf,
                "[ppaforge]\nfqdn = 127.0.0.1:" + port + "\nmethod = http\nincoming = /upload/" + archive
                        + "\nlogin = pat\n");
        return Tools.run(
                changes.getParent(),
                (token + "\n").getBytes(StandardCharsets.UTF_8),
                env,
                List.of("dput", "-c", cf.toString(), "ppaforge", changes.toString()));
    }

    /** {@link #dput} that must succeed. */
    void dputOrFail(int port, String archive, String token, Path changes) throws IOException {
        Tools.Result r = dput(port, archive, token, changes);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
    }
}
