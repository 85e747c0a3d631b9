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
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.testing.Tools;

/** .debs made to hurt a reader: bombs, forged paths, control data apt cannot read. Each ends in a FormatException. */
class HostileDebTest {
    @TempDir
    Path work;

    private static Stanza control(String extra) {
        return Deb822Reader.parseSingle(
                "Package: evil\nVersion: 1.0\nArchitecture: all\n" + "Maintainer: x <x@example.org>\n" + extra
                        + "Description: d\n",
                "test");
    }

    @Test
    void aDecompressionBombStopsAtTheLimitNamingIt() throws Exception {
        byte[] deb = new DebWriter(control(""))
                .file("usr/share/zeros", new byte[64 << 20])
                .toBytes();
        assertThat(deb.length).as("64 MiB of zeros compress to almost nothing").isLessThan(200_000);
        UnpackLimits limits = new UnpackLimits(1L << 30, 200, 1 << 20, 1000);
        assertThatThrownBy(() -> DebReader.read(new ByteArrayInputStream(deb), "bomb.deb", limits))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("bomb.deb")
                .hasMessageContaining("member 'data.tar.gz' unpacks to more than")
                .hasMessageContaining("decompression bomb");
        // The same file within a limit that allows it reads, so the refusal above is the limit's doing.
        assertThat(DebReader.read(
                                new ByteArrayInputStream(deb),
                                "bomb.deb",
                                limits.withMaxBytes(1L << 30).withRatio(100_000))
                        .dataEntries())
                .extracting(DataEntry::path)
                .contains("usr/share/zeros");
    }

    /**
     * GNU long names: one longer than PATH_MAX is refused as soon as its header is read; many within PATH_MAX that add up
     * to more path bytes than an index can carry are refused at the total. (The old reader took 600 names of 100 KB, 60 MB
     * of paths from an 11 KB file, and Contents rendering ran out of memory on every later publish.)
     */
    @Test
    void longNamesAreBoundedOneByOneAndInAll() throws Exception {
        long start = System.nanoTime();
        byte[] one = new DebWriter(control(""))
                .file("usr/share/" + "n".repeat(5_000), new byte[1])
                .toBytes();
        assertThatThrownBy(() -> DebReader.read(new ByteArrayInputStream(one), "longname.deb"))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("at most 4096 (PATH_MAX)");
        // Made with dpkg-deb from a real tree (Commons Compress spends quadratic time on names this long): 8,700 files
        // whose paths are about 3,900 bytes each, under PATH_MAX one by one, 33 MB in all.
        Path root = work.resolve("r");
        Path deep = root.resolve("usr/share");
        while (root.relativize(deep).toString().length() < 3700) {
            deep = deep.resolve("d".repeat(200));
        }
        Files.createDirectories(deep);
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(root.resolve("DEBIAN/control"), control("").toString());
        int tail = 3890 - root.relativize(deep).toString().length();
        for (int i = 0; i < 8700; i++) {
            Files.createFile(deep.resolve(String.format("%05d", i) + "f".repeat(tail)));
        }
        Path debFile = work.resolve("manynames.deb");
        Tools.run(
                        work,
                        null,
                        List.of(
                                "dpkg-deb",
                                "--root-owner-group",
                                "-Zgzip",
                                "--build",
                                root.toString(),
                                debFile.toString()))
                .orFail("dpkg-deb --build");
        byte[] many = Files.readAllBytes(debFile);
        assertThatThrownBy(() -> DebReader.read(
                        new ByteArrayInputStream(many), "manynames.deb", UnpackLimits.DEFAULT.withRatio(100_000)))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("more than 32 MiB of paths");
        System.out.printf(
                "long names: %d KB and %d KB files refused, %d ms%n",
                one.length / 1024, many.length / 1024, (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void tooManyEntriesAreRefused() throws Exception {
        DebWriter w = new DebWriter(control(""));
        for (int i = 0; i < 50; i++) {
            w.file("usr/share/many/f" + i, new byte[0]);
        }
        byte[] deb = w.toBytes();
        assertThatThrownBy(() -> DebReader.read(
                        new ByteArrayInputStream(deb), "many.deb", new UnpackLimits(1L << 30, 200, 1 << 20, 20)))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("more than 20 entries");
    }

    @Test
    void pathsThatForgeContentsLinesOrClimbOutAreRefused() throws Exception {
        for (String path : List.of(
                "usr/bin/a\nusr/bin/forged                 admin/evil", "usr/../../etc/passwd", "usr/bin/tab\tx")) {
            byte[] deb = new DebWriter(control("")).file(path, "x".getBytes()).toBytes();
            assertThatThrownBy(() -> DebReader.read(new ByteArrayInputStream(deb), "forged.deb"))
                    .as(path)
                    .isInstanceOf(FormatException.class)
                    .hasMessageContaining("forged.deb");
        }
    }

    @Test
    void aControlFileAptCouldNotReadIsRefusedWithTheLimitWhileALargeRealOneReads() throws Exception {
        // dpkg-deb builds both; apt reads a 200 KiB stanza but breaks on the whole index at about 2 MB.
        Path ok = build("ok", "A".repeat(200 * 1024));
        assertThat(DebReader.read(ok).control().get("X-Big")).hasSize(200 * 1024);
        Path big = build("big", "A".repeat(1 << 20));
        assertThatThrownBy(() -> DebReader.read(big))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("at most " + UnpackLimits.MAX_CONTROL_FILE);
    }

    private Path build(String name, String field) throws Exception {
        Path root = Files.createDirectories(work.resolve(name + "/DEBIAN"));
        Files.writeString(
                root.resolve("control"),
                "Package: " + name + "\nVersion: 1.0\nArchitecture: all\n" + "Maintainer: x <x@example.org>\nX-Big: "
                        + field + "\nDescription: d\n");
        Path deb = work.resolve(name + ".deb");
        Tools.run(
                        work,
                        "dpkg-deb",
                        "--root-owner-group",
                        "--build",
                        root.getParent().toString(),
                        deb.toString())
                .orFail("dpkg-deb");
        return deb;
    }

    @Test
    void anEmptyOrTinyFileIsAFormatException() {
        for (byte[] bytes : List.of(new byte[0], "!<arch>\n".getBytes(), "!<arch>\ndebian-binary   ".getBytes())) {
            assertThatThrownBy(() -> DebReader.read(new ByteArrayInputStream(bytes), "tiny.deb"))
                    .isInstanceOf(FormatException.class)
                    .hasMessageContaining("tiny.deb");
        }
    }
}
