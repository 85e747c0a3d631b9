package org.ppaforge.debian.dsc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.testing.RealSources;

/** A .dsc's file list against its Format, as dpkg-source takes it. */
class SourceFormatTest {
    private static String dsc(String format, String version, List<String> files) {
        StringBuilder sb =
                new StringBuilder("Format: " + format + "\nSource: foo\nBinary: foo\nArchitecture: any\nVersion: "
                        + version + "\nMaintainer: x <x@example.org>\nFiles:\n");
        for (String f : files) {
            sb.append(" d41d8cd98f00b204e9800998ecf8427e 0 ").append(f).append('\n');
        }
        return sb.toString();
    }

    @Test
    void whatEachFormatTakes() {
        Dsc.parse(dsc("1.0", "1.2-1", List.of("foo_1.2.orig.tar.gz", "foo_1.2-1.diff.gz")), "a.dsc");
        Dsc.parse(dsc("1.0", "1.2", List.of("foo_1.2.tar.gz")), "a.dsc");
        Dsc.parse(
                dsc(
                        "3.0 (quilt)",
                        "2:1.2+dfsg~rc1-1",
                        List.of(
                                "foo_1.2+dfsg~rc1.orig.tar.xz",
                                "foo_1.2+dfsg~rc1.orig.tar.xz.asc",
                                "foo_1.2+dfsg~rc1.orig-docs.tar.gz",
                                "foo_1.2+dfsg~rc1.orig-docs.tar.gz.asc",
                                "foo_1.2+dfsg~rc1-1.debian.tar.xz")),
                "a.dsc");
        Dsc.parse(dsc("3.0 (native)", "1:3.4", List.of("foo_3.4.tar.xz")), "a.dsc");
    }

    @Test
    void aFormatOneDscListingTenThousandTarballsIsRefused() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add("foo_1.2.orig-c" + i + ".tar.gz");
        }
        assertThatThrownBy(() -> Dsc.parse(dsc("1.0", "1.2-1", many), "many.dsc"))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("many.dsc")
                .hasMessageContaining("at most 1000");
        List<String> some = List.of("foo_1.2.orig.tar.gz", "foo_1.2.orig-b.tar.gz", "foo_1.2-1.diff.gz");
        assertThatThrownBy(() -> Dsc.parse(dsc("1.0", "1.2-1", some), "some.dsc"))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("Format 1.0 does not take 'foo_1.2.orig-b.tar.gz'");
    }

    @Test
    void wrongSetsAreRefusedNamingTheRule() {
        assertThatThrownBy(() -> Dsc.parse(
                        dsc(
                                "3.0 (quilt)",
                                "1.2-1",
                                List.of("foo_1.2.orig.tar.gz", "foo_1.2-1.debian.tar.xz", "foo_1.2-1.debian.tar.gz")),
                        "x.dsc"))
                .hasMessageContaining("one .orig.tar.* and one .debian.tar.*");
        assertThatThrownBy(() -> Dsc.parse(
                        dsc(
                                "3.0 (quilt)",
                                "1.2-1",
                                List.of("foo_1.2.orig.tar.gz", "foo_1.2.orig.tar.xz", "foo_1.2-1.debian.tar.xz")),
                        "x.dsc"))
                .hasMessageContaining("two tarballs for the orig");
        assertThatThrownBy(() -> Dsc.parse(
                        dsc("3.0 (quilt)", "1.2-1", List.of("bar_1.2.orig.tar.gz", "foo_1.2-1.debian.tar.xz")),
                        "x.dsc"))
                .hasMessageContaining("does not take 'bar_1.2.orig.tar.gz'");
        assertThatThrownBy(() ->
                        Dsc.parse(dsc("3.0 (native)", "1.2", List.of("foo_1.2.tar.xz", "foo_1.2.tar.gz")), "x.dsc"))
                .hasMessageContaining("Format 3.0 (native)");
        assertThatThrownBy(() -> Dsc.parse(dsc("3.0 (git)", "1.2", List.of("foo_1.2.git")), "x.dsc"))
                .hasMessageContaining("Format '3.0 (git)' is not accepted");
    }

    @Test
    void realDebianSourcesPass() throws Exception {
        for (String pkg : RealSources.PACKAGES) {
            Path cache = RealSources.defaultCache();
            Path dsc = RealSources.dsc(cache, RealSources.current(cache, pkg));
            Dsc d = Dsc.parse(Files.readString(dsc, StandardCharsets.UTF_8), dsc.toString());
            assertThat(d.files()).hasSizeGreaterThanOrEqualTo(3);
        }
    }
}
