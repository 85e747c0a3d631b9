package org.ppaforge.debian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    void splitsEpochUpstreamAndRevisionAtTheLastHyphen() {
        Version v = Version.parse("2:2.0-beta-1ubuntu1");
        assertThat(v.epoch()).isEqualTo(2);
        assertThat(v.upstream()).isEqualTo("2.0-beta");
        assertThat(v.revision()).isEqualTo("1ubuntu1");
        assertThat(v.withoutEpoch()).isEqualTo("2.0-beta-1ubuntu1");
        assertThat(v).hasToString("2:2.0-beta-1ubuntu1");

        Version plain = Version.parse("1.0");
        assertThat(plain.epoch()).isZero();
        assertThat(plain.revision()).isEmpty();
        assertThat(plain.hasRevision()).isFalse();
    }

    @Test
    void equalVersionsWithDifferentSpellingsKeepTheirOwnString() {
        Version a = Version.parse("1.01");
        Version b = Version.parse("1.1");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).isEqualTo("1.01");
        assertThat(new HashSet<>(List.of(a, b, Version.parse("0:1.1")))).hasSize(1);
    }

    @Test
    void tildeSortsBeforeEverythingEvenTheEnd() {
        List<Version> versions = new ArrayList<>();
        for (String s : List.of("1.0+b1", "1.0", "1.0~rc1", "1.0~~", "1.0~", "1.0a", "1.0~~a")) {
            versions.add(Version.parse(s));
        }
        Collections.sort(versions);
        assertThat(versions)
                .extracting(Version::toString)
                .containsExactly("1.0~~", "1.0~~a", "1.0~", "1.0~rc1", "1.0", "1.0a", "1.0+b1");
    }

    @Test
    void digitRunsOfAnyLengthCompareAsNumbers() {
        assertThat(Version.parse("1.0+git20261125123456789012345"))
                .isGreaterThan(Version.parse("1.0+git9261125123456789012345"));
        assertThat(Version.parse("99999999999999999999999999"))
                .isLessThan(Version.parse("100000000000000000000000000"));
    }

    @Test
    void dailyBuildSortsBelowTheReleaseAndAboveThePreviousSnapshot() {
        Version release = Version.parse("1.2-0ppa1");
        Version today = Version.parse("1.2~git20261125.1234.abc1234-0ppa1");
        Version yesterday = Version.parse("1.2~git20261124.0900.fff0000-0ppa1");
        assertThat(today).isLessThan(release).isGreaterThan(yesterday);
    }

    @Test
    void invalidVersionsNameTheStringAndTheRule() {
        assertThatThrownBy(() -> Version.parse("1.0-"))
                .isInstanceOf(InvalidVersionException.class)
                .hasMessage("invalid version '1.0-': revision number is empty");
        assertThatThrownBy(() -> Version.parse("a1.0"))
                .hasMessageContaining("'a1.0'")
                .hasMessageContaining("does not start with digit");
        assertThatThrownBy(() -> Version.parse("x:1.0")).hasMessageContaining("epoch in version is not number");
        assertThatThrownBy(() -> Version.parse("1.0 x")).hasMessageContaining("embedded spaces");
        assertThatThrownBy(() -> Version.parse("1_0")).hasMessageContaining("invalid character '_' in version number");
        assertThatThrownBy(() -> Version.parse("1.0-a!b")).hasMessageContaining("invalid character '!' in revision");
        assertThat(Version.parse(" 1.0-1 ")).hasToString("1.0-1");
        assertThatThrownBy(() -> Version.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Version.parse("3000000000:1")).hasMessageContaining("too big");
    }
}
