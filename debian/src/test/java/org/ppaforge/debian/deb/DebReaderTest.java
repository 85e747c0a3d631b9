package org.ppaforge.debian.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.debian.testing.RealDebs;
import org.ppaforge.debian.testing.Tools;

/** Reads real .debs and checks every answer against dpkg-deb and sha*sum. */
class DebReaderTest {
    private static final Path CACHE = Path.of("target/test-cache");

    @TempDir
    Path work;

    private static void assertMatchesDpkg(Path deb, DebPackage pkg) {
        String control = Tools.run(null, "dpkg-deb", "-f", deb.toString())
                .orFail("dpkg-deb -f")
                .out();
        assertThat(pkg.control().toString().strip()).isEqualTo(control.strip());
        // dpkg-deb -c lists ./path; for links "path -> target".
        List<String> dpkgPaths = Arrays.stream(Tools.run(null, "dpkg-deb", "-c", deb.toString())
                        .orFail("dpkg-deb -c")
                        .out()
                        .split("\n"))
                .filter(l -> !l.isBlank())
                .map(l -> l.substring(l.indexOf("./") + 2)
                        .replaceAll(" -> .*$", "")
                        .replaceAll(" link to .*$", ""))
                .map(p -> p.endsWith("/") ? p.substring(0, p.length() - 1) : p)
                .filter(p -> !p.isEmpty())
                .toList();
        assertThat(pkg.dataEntries()).extracting(DataEntry::path).containsExactlyElementsOf(dpkgPaths);
        String sums = Tools.run(null, "sh", "-c", "md5sum " + deb + "; sha1sum " + deb + "; sha256sum " + deb)
                .orFail("sha sums")
                .out();
        Checksums c = pkg.checksums();
        assertThat(Arrays.stream(sums.split("\n")).map(l -> l.split(" ")[0]).collect(Collectors.toList()))
                .containsExactly(c.md5(), c.sha1(), c.sha256());
        assertThat(c.size()).isEqualTo(deb.toFile().length());
    }

    @Test
    void readsRealDebianPackages() throws Exception {
        List<Path> debs = RealDebs.download(CACHE, RealDebs.PACKAGES);
        assertThat(debs).hasSize(RealDebs.PACKAGES.size());
        for (Path deb : debs) {
            DebPackage pkg = DebReader.read(deb);
            assertMatchesDpkg(deb, pkg);
            assertThat(pkg.controlCompression()).isEqualTo(Compression.XZ);
            assertThat(pkg.dataCompression()).isEqualTo(Compression.XZ);
            assertThat(pkg.controlFiles()).contains("control");
            assertThat(pkg.fileCount()).isPositive();
        }
        DebPackage hello = DebReader.read(debs.get(0));
        assertThat(hello.packageName()).isEqualTo("hello");
        assertThat(hello.dataEntries()).extracting(DataEntry::path).contains("usr/bin/hello");
    }

    @Test
    void readsEveryCompressionDpkgDebCanBuild() throws Exception {
        for (String z : List.of("gzip", "xz", "zstd", "none")) {
            Path deb = RealDebs.build(work, "ztest", "1.0-1", "amd64", z);
            DebPackage pkg = DebReader.read(deb);
            assertMatchesDpkg(deb, pkg);
            Compression expected = switch (z) {
                case "gzip" -> Compression.GZIP;
                case "xz" -> Compression.XZ;
                case "zstd" -> Compression.ZSTD;
                default -> Compression.NONE;
            };
            assertThat(pkg.dataCompression()).as(z).isEqualTo(expected);
            assertThat(pkg.controlCompression()).as(z).isEqualTo(expected);
            assertThat(pkg.dataEntries())
                    .filteredOn(e -> e.type() == DataEntry.Type.SYMLINK)
                    .singleElement()
                    .satisfies(e -> assertThat(e.linkTarget()).isEqualTo("ztest"));
            assertThat(pkg.fileCount()).isEqualTo(2);
        }
    }

    @Test
    void readsBzip2AndLzmaDataMembers() throws Exception {
        Path base = RealDebs.build(work, "ztest", "1.0-1", "all", "xz");
        for (String[] t : List.of(new String[] {"bzip2", "bz2"}, new String[] {"lzma", "lzma"})) {
            Path deb = RealDebs.repackData(work, base, t[0], t[1]);
            DebPackage pkg = DebReader.read(deb);
            assertMatchesDpkg(deb, pkg);
            assertThat(pkg.dataCompression().suffix()).isEqualTo("." + t[1]);
        }
    }

    @Test
    void truncatedAndGarbageInputGiveClearErrors() throws Exception {
        Path deb = RealDebs.build(work, "ztest", "1.0-1", "amd64", "xz");
        byte[] bytes = Files.readAllBytes(deb);
        for (int cut : List.of(bytes.length - 10, bytes.length / 2, 200, 70, 20)) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThatThrownBy(() -> DebReader.read(new ByteArrayInputStream(truncated), "cut.deb"))
                    .as("cut at " + cut)
                    .isInstanceOf(FormatException.class)
                    .hasMessageStartingWith("cut.deb: ");
        }
        assertThatThrownBy(() ->
                        DebReader.read(new ByteArrayInputStream("hello world, not a deb".getBytes()), "garbage.deb"))
                .hasMessage("garbage.deb: not a Debian package: no ar archive signature ('!<arch>')");
        assertThatThrownBy(() -> DebReader.read(new ByteArrayInputStream(new byte[0]), "empty.deb"))
                .hasMessage("empty.deb: not a Debian package: the file is empty");
        byte[] corrupt = bytes.clone();
        for (int i = 300; i < corrupt.length - 50; i += 7) {
            corrupt[i] ^= 0x5a;
        }
        assertThatThrownBy(() -> DebReader.read(new ByteArrayInputStream(corrupt), "corrupt.deb"))
                .isInstanceOf(FormatException.class)
                .hasMessageStartingWith("corrupt.deb");
    }
}
