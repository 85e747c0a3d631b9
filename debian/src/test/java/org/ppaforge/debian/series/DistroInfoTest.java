package org.ppaforge.debian.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistroInfoTest {
    @TempDir
    Path dir;

    @Test
    void releaseNumbersAndOrderComeFromDistroInfoData() {
        // This machine's tables (distro-info-data is installed by .ci/run).
        DistroInfo system = DistroInfo.system();
        assertThat(system.release("bookworm").orElseThrow().suffix()).isEqualTo("deb12");
        assertThat(system.release("trixie").orElseThrow().number()).isEqualTo("13");
        assertThat(system.release("jammy").orElseThrow().suffix()).isEqualTo("ubuntu22.04");
        assertThat(system.release("sid").orElseThrow().number()).isNull();
        assertThat(system.release("sid").orElseThrow().suffix()).isNull();
        assertThat(system.release("nonesuch")).isEmpty();
        assertThat(system.inReleaseOrder(List.of("trixie", "buster", "bookworm")))
                .containsExactly("buster", "bookworm", "trixie");
        assertThat(system.inReleaseOrder(List.of("noble", "focal", "jammy")))
                .containsExactly("focal", "jammy", "noble");
        // Not all known, or two distributions: the order given.
        assertThat(system.inReleaseOrder(List.of("trixie", "custom", "bookworm")))
                .containsExactly("trixie", "custom", "bookworm");
        assertThat(system.inReleaseOrder(List.of("noble", "bookworm"))).containsExactly("noble", "bookworm");
    }

    @Test
    void aTableAsDistroInfoDataWritesIt() throws Exception {
        Files.writeString(
                dir.resolve("ubuntu.csv"),
                "version,codename,series,created,release,eol,eol-server\n"
                        + "10.04 LTS,Lucid Lynx,lucid,2009-10-29,2010-04-29,2013-05-09,2015-04-30\n"
                        + "26.04 LTS,Resolute Raccoon,resolute,2025-10-09,2026-04-23,2031-05-29\n"
                        + "broken line\n");
        DistroInfo d = DistroInfo.read(dir); // no debian.csv: only Ubuntu is known
        assertThat(d.release("lucid").orElseThrow().suffix()).isEqualTo("ubuntu10.04");
        assertThat(d.release("resolute").orElseThrow().number()).isEqualTo("26.04");
        assertThat(d.release("bookworm")).isEmpty();
        assertThat(DistroInfo.read(dir.resolve("missing")).release("lucid")).isEmpty();
    }
}
