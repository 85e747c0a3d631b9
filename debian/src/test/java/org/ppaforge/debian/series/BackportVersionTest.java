package org.ppaforge.debian.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.testing.Tools;

/**
 * Backport versions as Debian and Ubuntu name them, read from this machine's distro-info-data, each checked with
 * dpkg itself: below the version it came from, above what the target has, and the next number for a second backport.
 */
class BackportVersionTest {
    private static final DistroInfo INFO = DistroInfo.system();

    private static void sortsBelow(String lower, String higher) {
        assertThat(Tools.run(Path.of("/"), "dpkg", "--compare-versions", lower, "lt", higher)
                        .exit())
                .as(lower + " < " + higher + " for dpkg")
                .isZero();
    }

    @Test
    void debianUbuntuAndTemplateStylesNumberedAndOrderedAsDpkgOrdersThem() {
        DistroInfo.Release bookworm = INFO.release("bookworm").orElseThrow();
        DistroInfo.Release jammy = INFO.release("jammy").orElseThrow();
        Version origin = Version.parse("1:2.10-3+dfsg1");

        Version bpo = BackportVersion.next(
                origin, bookworm, BackportVersion.Style.of(bookworm).template(), List.of(), Version.parse("1:2.10-2"));
        assertThat(bpo.toString()).isEqualTo("1:2.10-3+dfsg1~bpo12+1");
        sortsBelow(bpo.toString(), origin.toString());
        sortsBelow("1:2.10-2", bpo.toString());

        // A second backport of the same version: the next number, and it sorts above the first.
        Version second = BackportVersion.next(
                origin,
                bookworm,
                BackportVersion.Style.DEBIAN.template(),
                List.of(bpo, Version.parse("1:2.9-1~bpo12+7")),
                null);
        assertThat(second.toString()).isEqualTo("1:2.10-3+dfsg1~bpo12+2");
        sortsBelow(bpo.toString(), second.toString());

        assertThat(BackportVersion.next(
                                origin, jammy, BackportVersion.Style.of(jammy).template(), List.of(), null)
                        .toString())
                .isEqualTo("1:2.10-3+dfsg1~22.04.1");
        assertThat(BackportVersion.next(
                                origin, jammy, BackportVersion.Style.UBUNTU_BACKPORTS.template(), List.of(), null)
                        .toString())
                .isEqualTo("1:2.10-3+dfsg1~bpo22.04.1");
        Version ppa =
                BackportVersion.next(origin, bookworm, "~ppa{n}", List.of(Version.parse("1:2.10-3+dfsg1~ppa3")), null);
        assertThat(ppa.toString()).isEqualTo("1:2.10-3+dfsg1~ppa4");
        sortsBelow(ppa.toString(), origin.toString());
    }

    @Test
    void whatWouldNotUpgradeTheTargetOrBreaksTheRulesIsRefused() {
        DistroInfo.Release bookworm = INFO.release("bookworm").orElseThrow();
        Version origin = Version.parse("2.10-3");
        assertThatThrownBy(() -> BackportVersion.next(
                        origin, bookworm, BackportVersion.Style.DEBIAN.template(), List.of(), Version.parse("2.10-3")))
                .isInstanceOf(FormatException.class)
                .hasMessage("the backport version 2.10-3~bpo12+1 would not upgrade the bookworm version 2.10-3 "
                        + "(nothing to backport: the target has it, or a newer one)");
        assertThatThrownBy(() -> BackportVersion.next(origin, bookworm, "~ppa", List.of(), null))
                .hasMessageContaining("needs {n}");
        assertThatThrownBy(() -> BackportVersion.next(origin, bookworm, "+ppa{n}", List.of(), null))
                .hasMessageContaining("starts with '~'");
        DistroInfo.Release sid = INFO.release("sid").orElseThrow();
        assertThatThrownBy(() ->
                        BackportVersion.next(origin, sid, BackportVersion.Style.DEBIAN.template(), List.of(), null))
                .hasMessageContaining("sid has no release number");
    }
}
