package org.ppaforge.archive.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;

/**
 * A new data directory opened by several processes at once (the README's 'ppa serve &' and the next command): each
 * migration is applied once, by whoever takes the write lock first; nobody fails with "duplicate column".
 */
class ConcurrentMigrationTest {
    @TempDir
    Path data;

    /** One process: opens the store and says how many archives it has. */
    public static final class Open {
        public static void main(String[] args) {
            try (Ppaforge ppa = Ppaforge.open(Path.of(args[0]))) {
                System.out.println("archives: " + ppa.listArchives().call().size());
            }
        }
    }

    @RepeatedTest(3)
    void processesOpeningANewDirectoryTogetherAllStart() throws Exception {
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ps.add(new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            Open.class.getName(),
                            data.toString())
                    .redirectErrorStream(true)
                    .start());
        }
        for (Process p : ps) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
            assertThat(out).contains("archives: 0");
        }
    }
}
