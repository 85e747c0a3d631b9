package org.ppaforge.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.common.sql.Databases;
import org.ppaforge.common.testing.TestPostgres;

/** One server at a time runs each singleton task; another takes it once the first one's session is gone. */
@Timeout(120)
class LeadershipTest {
    @TempDir
    Path data;

    @Test
    void aTaskHasOneLeaderAndAnotherTakesOverWhenItsSessionEnds() {
        String url = TestPostgres.freshDatabase();
        try (Databases one = Databases.of(data, url);
                Databases two = Databases.of(data, url);
                Leadership a = new Leadership(one);
                Leadership b = new Leadership(two)) {
            assertThat(a.lead("gc")).isTrue();
            assertThat(a.lead("gc"))
                    .as("held: asked again, still this server's")
                    .isTrue();
            assertThat(b.lead("gc")).isFalse();
            assertThat(b.lead("rebuild-runner"))
                    .as("each task has its own lock")
                    .isTrue();
            assertThat(a.lead("rebuild-runner")).isFalse();
            a.close(); // as a killed server's connection closes
            assertThat(b.lead("gc")).isTrue();
            assertThat(b.held()).containsExactlyInAnyOrder("gc", "rebuild-runner");
        }
    }

    @Test
    void theEmbeddedDefaultLeadsEverything() {
        try (Leadership l = new Leadership(Databases.embedded(data))) {
            assertThat(l.lead("gc")).isTrue();
            assertThat(l.lead("pipeline-runner")).isTrue();
            assertThat(l.held()).containsExactlyInAnyOrder("gc", "pipeline-runner");
        }
    }
}
