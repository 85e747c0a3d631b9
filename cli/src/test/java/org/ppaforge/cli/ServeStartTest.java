package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first start of {@code ppa serve} that cannot work says why in one line and leaves nothing behind: with its port
 * taken, it exits 4 naming the address and the cause, before any data directory, key or token is made.
 */
@Timeout(60)
class ServeStartTest {
    @TempDir
    Path dir;

    @Test
    void aTakenPortIsNamedAndNothingIsCreated() throws Exception {
        Path data = dir.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            PpaProcesses.Result r = PpaProcesses.run(
                    Files.createDirectories(dir.resolve("home")),
                    null,
                    List.of("serve", "--port", Integer.toString(port), "--data-dir", data.toString()));
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.ERROR);
            assertThat(r.err())
                    .contains("cannot listen on 127.0.0.1:" + port + ": Address already in use")
                    .contains("--port");
            assertThat(r.out()).doesNotContain("admin token");
            assertThat(data.resolve("ppaforge.db")).doesNotExist();
        }
    }
}
