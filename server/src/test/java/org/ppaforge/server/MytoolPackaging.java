package org.ppaforge.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Debian packaging of the pipeline tests' small Python project, mytool 1.2-1: an arch:all package (debhelper) that
 * installs {@code mytool.py} as a program and depends on python3. The program itself is each test's own.
 */
final class MytoolPackaging {
    private MytoolPackaging() {}

    static void write(Path upstream) throws IOException {
        Files.createDirectories(upstream.resolve("debian/source"));
        Files.writeString(upstream.resolve("debian/source/format"), "3.0 (quilt)\n");
        Files.writeString(
                upstream.resolve("debian/control"),
                "Source: mytool\nMaintainer: Dev <dev@example.org>\n"
                        + "Build-Depends: debhelper-compat (= 13)\n\nPackage: mytool\nArchitecture: all\nDepends: python3\n"
                        + "Description: a tool\n a tool\n");
        Files.writeString(
                upstream.resolve("debian/changelog"),
                "mytool (1.2-1) unstable; urgency=medium\n\n  * Release.\n\n"
                        + " -- Dev <dev@example.org>  Tue, 24 Nov 2026 10:00:00 +0000\n");
        Files.writeString(upstream.resolve("debian/rules"), "#!/usr/bin/make -f\n%:\n\tdh $@\n");
        upstream.resolve("debian/rules").toFile().setExecutable(true);
        Files.writeString(upstream.resolve("debian/mytool.install"), "mytool.py usr/bin\n");
    }
}
