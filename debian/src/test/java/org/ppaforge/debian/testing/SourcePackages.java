package org.ppaforge.debian.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds real source packages and .changes files with dpkg-source and dpkg-genchanges. */
public final class SourcePackages {
    private SourcePackages() {}

    /**
     * Builds a 3.0 (quilt) source package {@code name_version} in {@code work}, then a
     * source-only .changes for it, and returns the .changes path.
     */
    public static Path buildSourceUpload(Path work, String name, String upstream, String revision, String series)
            throws IOException {
        Path tree = work.resolve(name + "-" + upstream);
        Files.createDirectories(tree.resolve("debian/source"));
        Files.writeString(tree.resolve("hello.c"), "int main(void) { return 0; }\n");
        Tools.run(
                        work,
                        "tar",
                        "-I",
                        "gzip -n", // no time stamp: the same tarball each time, so several revisions share it
                        "-cf",
                        name + "_" + upstream + ".orig.tar.gz",
                        "--owner=0",
                        "--group=0",
                        "--mtime=2026-01-01",
                        name + "-" + upstream)
                .orFail("tar");
        Files.writeString(tree.resolve("debian/source/format"), "3.0 (quilt)\n");
        Files.writeString(tree.resolve("debian/control"), """
                Source: %1$s
                Section: misc
                Priority: optional
                Maintainer: Test Maintainer <test@example.org>
                Build-Depends: debhelper-compat (= 13)
                Standards-Version: 4.6.2

                Package: %1$s
                Architecture: any
                Depends: ${shlibs:Depends}, ${misc:Depends}
                Description: test package
                 Built by the ppaforge test suite.

                Package: %1$s-doc
                Architecture: all
                Description: test package documentation
                 Built by the ppaforge test suite.
                """.formatted(name));
        Files.writeString(tree.resolve("debian/changelog"), """
                %s (%s-%s) %s; urgency=medium

                  * Test upload.

                 -- Test Maintainer <test@example.org>  Wed, 25 Nov 2026 10:00:00 +0000
                """.formatted(name, upstream, revision, series));
        Files.writeString(tree.resolve("debian/rules"), "#!/usr/bin/make -f\n%:\n\tdh $@\n");
        tree.resolve("debian/rules").toFile().setExecutable(true);
        Tools.run(work, "dpkg-source", "-b", name + "-" + upstream).orFail("dpkg-source -b");
        Path changes = work.resolve(name + "_" + upstream + "-" + revision + "_source.changes");
        String out = Tools.run(tree, null, List.of("dpkg-genchanges", "-S", "-sa"))
                .orFail("dpkg-genchanges")
                .out();
        Files.writeString(changes, out);
        return changes;
    }
}
