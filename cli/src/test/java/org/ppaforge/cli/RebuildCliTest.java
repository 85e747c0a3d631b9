package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.farm.Builds;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.qa.Qa;
import org.ppaforge.server.PpaServer;

/**
 * {@code ppa rebuild --server}: a set made over the API (admin token), listed, a run asked for (the server's runner takes
 * it: the set is due), results of a set that has not run; a private archive's set is missing to a caller who may not
 * read it.
 */
class RebuildCliTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private PpaProcesses.Result ppa(String server, String token, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", server));
        return PpaProcesses.run(work, token, all);
    }

    @Test
    void setsAreMadeListedAndAskedForThroughAServer() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            Builds builds = forge.farm();
            Qa qa = forge.qa();
            ppa.createArchive()
                    .name("snapshots")
                    .series(List.of("sid"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.createArchive()
                    .name("rebuilds")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.createArchive()
                    .name("hidden")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.configureArchive().archive("hidden").privateArchive(true).call();
            String admin = ppa.createToken().name("root").role("admin").call().secret();
            String uploader = ppa.createToken()
                    .name("pat")
                    .role("uploader")
                    .archive("snapshots")
                    .call()
                    .secret();
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                String url = "http://127.0.0.1:" + server.port();
                PpaProcesses.Result refused = ppa(
                        url,
                        uploader,
                        "rebuild",
                        "create",
                        "nightly",
                        "--from",
                        "snapshots/sid",
                        "--packages",
                        "hello",
                        "--into",
                        "rebuilds");
                assertThat(refused.exit()).isNotZero();
                assertThat(refused.err()).contains("needs an admin token");
                PpaProcesses.Result made = ppa(
                        url,
                        admin,
                        "rebuild",
                        "create",
                        "nightly",
                        "--from",
                        "snapshots/sid",
                        "--packages",
                        "hello,sl",
                        "--into",
                        "rebuilds",
                        "--json");
                assertThat(made.exit()).as(made.toString()).isZero();
                assertThat(new ObjectMapper()
                                .readTree(made.out())
                                .path("packages")
                                .size())
                        .isEqualTo(2);
                assertThat(ppa(
                                        url,
                                        admin,
                                        "rebuild",
                                        "create",
                                        "secret",
                                        "--from",
                                        "snapshots",
                                        "--packages",
                                        "hello",
                                        "--into",
                                        "hidden")
                                .exit())
                        .isZero();
                PpaProcesses.Result listed = ppa(url, null, "rebuild", "list");
                assertThat(listed.out()).contains("nightly").doesNotContain("secret");
                PpaProcesses.Result none = ppa(url, null, "rebuild", "results", "nightly");
                assertThat(none.exit()).isEqualTo(2);
                assertThat(none.err()).contains("has no run yet");
                assertThat(ppa(url, null, "rebuild", "runs", "secret").err())
                        .contains("there is no rebuild set 'secret'");

                PpaProcesses.Result asked = ppa(url, admin, "rebuild", "run", "nightly", "--force");
                assertThat(asked.out()).startsWith("asked the server for a run of nightly (forced)");
                assertThat(qa.rebuilds().due(Instant.now()))
                        .extracting(s -> s.name())
                        .containsExactly("nightly");
                assertThat(qa.store().rebuilds().takeRequest("nightly")).isEqualTo("force");
                PpaProcesses.Result badDate = ppa(url, null, "rebuild", "results", "nightly", "--date", "yesterday");
                assertThat(badDate.exit()).isEqualTo(2);
            }
        }
    }
}
