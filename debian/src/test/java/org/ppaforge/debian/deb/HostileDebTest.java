package org.ppaforge.debian.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.testing.Tools;

/** .debs made to hurt a reader: bombs, forged paths, control data apt cannot read. Each ends in a FormatException. */
class HostileDebTest {
    @TempDir
    Path work;

    private static Stanza control(String extra) {
        return org.ppaforge.debian.control.Deb822Reader.parseSingle("Package: evil\nVersion: 1.0\nArchitecture: all\n"
                + "Maintainer: x <x@example.org>\n" + extra + "Description: d\n", "test");
    }

    @Test
    void aDecompressionBombStopsAtTheLimitNamingIt() throws Exception {
        byte[] deb = new DebWriter(control("")).file("usr/share/zeros", new byte[64 << 20]).toBytes();
        assertThat(deb.length).as("64 MiB of zeros compress to almost nothing").isLessThan(200_000);
        UnpackLimits limits = new UnpackLimits(1L << 30, 200, 1 << 20, 1000);
        assertThatThrownBy(() -> DebReader.read(new ByteArrayInputStream(deb), "bomb.deb", limits))
                .isInstanceOf(FormatException.class).hasMessageContaining("bomb.deb")
                .hasMessageContaining("member 'data.tar.gz' unpacks to more than").hasMessageContaining("decompression bomb");
        // The same file within a limit that allows it reads, so the refusal above is the limit's doing.
        assertThat(DebReader.read(new ByteArrayInputStream(deb), "bomb.deb", limits.withMaxBytes(1L << 30)
                .withRatio(100_000)).dataEntries()).extracting(DataEntry::path).contains("usr/share/zeros");
    }

    @Test
    void tooManyEntriesAreRefused() throws Exception {
        DebWriter w = new DebWriter(control(""));
        for (int i = 0; i < 50; i++) {
            w.file("usr/share/many/f" + i, new byte[0]);
        }
        byte[] deb = w.toBytes();
        assertThatThrownBy(() -> DebReader.read(new ByteArrayInputStream(deb), "many.deb", new UnpackLimits(1L << 30, 200, 1 << 20, 20)))
                .isInstanceOf(FormatException.class).hasMessageContaining("more than 20 entries");
    }

    @Test
    void pathsThatForgeContentsLinesOrClimbOutAreRefused() throws Exception {
        for (String path : List.of("usr/bin/a\nusr/bin/forged                 admin/evil", "usr/../../etc/passwd", "usr/bin/tab\tx")) {
            byte[] deb = new DebWriter(control("")).file(path, "x".getBytes()).toBytes();
            assertThatThrownBy(() -> DebReader.read(new ByteArrayInputStream(deb), "forged.deb"))
                    .as(path).isInstanceOf(FormatException.class).hasMessageContaining("forged.deb");
        }
    }

    @Test
    void aControlFileAptCouldNotReadIsRefusedWithTheLimitWhileALargeRealOneReads() throws Exception {
        // dpkg-deb builds both; apt reads a 200 KiB stanza but breaks on the whole index at about 2 MB.
        Path ok = build("ok", "A".repeat(200 * 1024));
        assertThat(DebReader.read(ok).control().get("X-Big")).hasSize(200 * 1024);
        Path big = build("big", "A".repeat(1 << 20));
        assertThatThrownBy(() -> DebReader.read(big)).isInstanceOf(FormatException.class)
                .hasMessageContaining("at most " + UnpackLimits.MAX_CONTROL_FILE);
    }

    private Path build(String name, String field) throws Exception {
        Path root = Files.createDirectories(work.resolve(name + "/DEBIAN"));
        Files.writeString(root.resolve("control"), "Package: " + name + "\nVersion: 1.0\nArchitecture: all\n"
                + "Maintainer: x <x@example.org>\nX-Big: " + field + "\nDescription: d\n");
        Path deb = work.resolve(name + ".deb");
        Tools.run(work, "dpkg-deb", "--root-owner-group", "--build", root.getParent().toString(), deb.toString()).orFail("dpkg-deb");
        return deb;
    }

    @Test
    void anEmptyOrTinyFileIsAFormatException() {
        for (byte[] bytes : List.of(new byte[0], "!<arch>\n".getBytes(), "!<arch>\ndebian-binary   ".getBytes())) {
            assertThatThrownBy(() -> DebReader.read(new ByteArrayInputStream(bytes), "tiny.deb"))
                    .isInstanceOf(FormatException.class).hasMessageContaining("tiny.deb");
        }
    }
}
