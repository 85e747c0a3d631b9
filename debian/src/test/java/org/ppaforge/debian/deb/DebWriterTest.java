package org.ppaforge.debian.deb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.testing.Tools;

/** dpkg-deb is the judge of what DebWriter writes. */
class DebWriterTest {
    @Test
    void writesPackagesDpkgDebAccepts(@TempDir Path dir) throws Exception {
        Stanza control = Deb822Reader.parseSingle("""
                Package: written
                Version: 1:2.0-1
                Architecture: amd64
                Maintainer: T <t@example.org>
                Depends: libc6 (>= 2.36)
                Description: written by DebWriter
                 Long text.
                """, "control");
        Path deb = dir.resolve("written.deb");
        byte[] bytes = new DebWriter(control)
                .file("usr/share/doc/written/README", "hi\n".getBytes(StandardCharsets.UTF_8))
                .file("usr/bin/written", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8))
                .toBytes();
        Files.write(deb, bytes);
        assertThat(Tools.run(dir, "dpkg-deb", "--info", deb.toString())
                        .orFail("dpkg-deb --info")
                        .out())
                .contains("Package: written");
        assertThat(Tools.run(dir, "dpkg-deb", "-f", deb.toString(), "Version")
                        .orFail("dpkg-deb -f")
                        .out()
                        .strip())
                .isEqualTo("1:2.0-1");
        assertThat(Tools.run(dir, "dpkg-deb", "-c", deb.toString())
                        .orFail("dpkg-deb -c")
                        .out())
                .contains("./usr/share/doc/written/README", "./usr/bin/written");
        Tools.run(dir, "dpkg-deb", "-x", deb.toString(), dir.resolve("x").toString())
                .orFail("dpkg-deb -x");
        assertThat(Files.readString(dir.resolve("x/usr/share/doc/written/README")))
                .isEqualTo("hi\n");
        DebPackage read = DebReader.read(deb);
        assertThat(read.control()).isEqualTo(control);
        assertThat(new DebWriter(control)
                        .file("usr/share/doc/written/README", "hi\n".getBytes(StandardCharsets.UTF_8))
                        .file("usr/bin/written", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8))
                        .toBytes())
                .as("deterministic")
                .isEqualTo(bytes);
    }
}
