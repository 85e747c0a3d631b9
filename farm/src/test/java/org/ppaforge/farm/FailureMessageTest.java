package org.ppaforge.farm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What `build show` says of a failed build, from a real sbuild log (debhelper's dh_missing stopped it). */
class FailureMessageTest {
    @Test
    void theBuildsOwnLastLinesAndTheFailingStageNotSbuildsSummary() throws IOException {
        String log;
        try (InputStream in = getClass().getResourceAsStream("sbuild/failed.build")) {
            log = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String message = CompleteBuild.failure(log);
        assertThat(message)
                .startsWith("failed at sbuild's build stage:\n")
                .contains("dh_missing: error: missing files, aborting")
                .contains("dpkg-buildpackage: error")
                .doesNotContain("Build finished at")
                .doesNotContain("Host Architecture");
    }
}
