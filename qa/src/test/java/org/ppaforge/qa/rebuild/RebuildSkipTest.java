package org.ppaforge.qa.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * When a package is skipped: only when its source and build environment are those of its last real result, and never
 * with --force ({@code ppa rebuild run NAME --force}; over the API the request carries it, see RebuildCliTest).
 */
class RebuildSkipTest {
    private static RebuildResult last(String envKey) {
        return new RebuildResult(
                1,
                "hello",
                "2.10-3",
                "2.10-3~rebuild20261201.1",
                true,
                1L,
                "PASS",
                null,
                "passed",
                null,
                null,
                null,
                envKey,
                Instant.parse("2026-12-01T03:00:00Z"));
    }

    @Test
    void unchangedIsSkippedUnlessForced() {
        String env = "source=2.10-3 chroot=abc mirror=def deps=";
        assertThat(RebuildRunner.unchanged(false, last(env), env)).isTrue();
        assertThat(RebuildRunner.unchanged(true, last(env), env)).as("--force").isFalse();
        assertThat(RebuildRunner.unchanged(false, last(env), env.replace("2.10-3", "2.10-4")))
                .as("a new source")
                .isFalse();
        assertThat(RebuildRunner.unchanged(false, last(env), env.replace("chroot=abc", "chroot=abd")))
                .as("a new chroot")
                .isFalse();
        assertThat(RebuildRunner.unchanged(false, null, env))
                .as("never rebuilt")
                .isFalse();
    }
}
