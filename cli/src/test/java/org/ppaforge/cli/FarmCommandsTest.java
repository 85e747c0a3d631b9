package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.testing.SourcePackages;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.testing.TestChroots;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.server.PpaServer;

/**
 * The README's build and chroot commands as a user runs them, in real {@code ppa} processes: {@code ppa build
 * list|show|cancel|retry} against a server (a token), and {@code ppa chroot list|remove} on the server's own data
 * directory. A queued build (no worker) is listed, shown, cancelled, queued again; a chroot removed sends its builds to
 * wait for a new one.
 */
@Timeout(300)
class FarmCommandsTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    final ObjectMapper json = new ObjectMapper();

    private PpaProcesses.Result remote(String url, String token, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", url));
        return PpaProcesses.run(work, token, all);
    }

    private PpaProcesses.Result local(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data-dir", data.toString()));
        return PpaProcesses.run(work, null, all);
    }

    /** The builds of one plan (a backport with what it took along) are listed as a group, with their states. */
    @Test
    void aPlansBuildsAreListedAsAGroup() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            forge.archive()
                    .createArchive()
                    .name("backports")
                    .series(List.of("bullseye"))
                    .architectures(List.of("amd64"))
                    .call();
            forge.farm(); // the build farm hears of what is included from now on
            String plan = "backport of tool 1.0-1~bpo11+1";
            for (String name : List.of("libdep", "tool")) {
                SourcePackages.buildSourceUpload(work, name, "1.0", "1", "bullseye");
                forge.archive()
                        .include()
                        .archive("backports")
                        .series("bullseye")
                        .files(List.of(work.resolve(name + "_1.0-1.dsc")))
                        .origin(org.ppaforge.archive.model.SourcePublication.originInPlan("backport from x", plan))
                        .call();
            }
            SourcePackages.buildSourceUpload(work, "alone", "1.0", "1", "bullseye");
            forge.archive()
                    .include()
                    .archive("backports")
                    .series("bullseye")
                    .files(List.of(work.resolve("alone_1.0-1.dsc")))
                    .call();
        }
        PpaProcesses.Result list = local("build", "list");
        assertThat(list.exit()).as(list.toString()).isZero();
        String out = list.out();
        String[] parts = out.split("\nplan: ");
        assertThat(parts).hasSize(2);
        assertThat(parts[0]).contains("alone").doesNotContain("libdep");
        assertThat(parts[1])
                .startsWith("backport of tool 1.0-1~bpo11+1 (2 build(s): 2 chroot-wait)")
                .contains("libdep")
                .contains("tool")
                .doesNotContain("alone");
        assertThat(local("build", "list", "--json").out())
                .containsPattern("\"plan\" ?: ?\"backport of tool 1.0-1~bpo11\\+1\"");
    }

    @Test
    void buildsAndChrootsFromTheCommandLine() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            forge.archive()
                    .createArchive()
                    .name("trunk")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            forge.farm()
                    .createChroot()
                    .series("bookworm")
                    .architecture("amd64")
                    .tarball(TestChroots.bookworm())
                    .call();
            SourcePackages.buildSourceUpload(work, "webtool", "1.0", "1", "bookworm");
            forge.archive()
                    .include()
                    .archive("trunk")
                    .series("bookworm")
                    .files(List.of(work.resolve("webtool_1.0-1.dsc")))
                    .call();
            long id = forge.farm().list().archive("trunk").call().get(0).id();
            String admin = forge.archive()
                    .createToken()
                    .name("root")
                    .role("admin")
                    .call()
                    .secret();
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                String url = "http://127.0.0.1:" + server.port();

                PpaProcesses.Result list = remote(url, admin, "build", "list");
                assertThat(list.exit()).as(list.toString()).isZero();
                assertThat(list.out())
                        .containsPattern("(?m)^" + id + " +trunk/bookworm +webtool +1\\.0-1 +amd64\\+all +waiting ");
                JsonNode listed = json.readTree(
                        remote(url, admin, "build", "list", "--json").out());
                assertThat(listed.get(0).path("state").asText()).isEqualTo("WAITING");

                PpaProcesses.Result show = remote(url, admin, "build", "show", Long.toString(id));
                assertThat(show.exit()).as(show.toString()).isZero();
                assertThat(show.out())
                        .startsWith("build " + id + ": webtool 1.0-1 on amd64 (and the all packages) in trunk/bookworm")
                        .contains("  state:    waiting")
                        .containsPattern("  created:  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");

                PpaProcesses.Result cancel = remote(url, admin, "build", "cancel", Long.toString(id));
                assertThat(cancel.exit()).as(cancel.toString()).isZero();
                assertThat(cancel.out()).isEqualTo("build " + id + " (webtool 1.0-1 amd64) is cancelled\n");
                assertThat(forge.farm().show().id(id).call().state()).isEqualTo(BuildState.CANCELLED);
                PpaProcesses.Result again = remote(url, admin, "build", "cancel", Long.toString(id));
                assertThat(again.exit()).isEqualTo(ExitCodes.REFUSED);
                assertThat(again.err()).contains("build " + id);

                PpaProcesses.Result anonymous = remote(url, null, "build", "retry", Long.toString(id));
                assertThat(anonymous.exit()).isNotZero();
                assertThat(anonymous.err()).contains("needs a token");
                PpaProcesses.Result retry = remote(url, admin, "build", "retry", Long.toString(id));
                assertThat(retry.exit()).as(retry.toString()).isZero();
                assertThat(retry.out()).isEqualTo("build " + id + " (webtool 1.0-1 amd64) is waiting again\n");
                assertThat(forge.farm().show().id(id).call().state()).isEqualTo(BuildState.WAITING);

                PpaProcesses.Result missing = remote(url, admin, "build", "show", "999");
                assertThat(missing.exit()).isEqualTo(ExitCodes.INVALID);
                assertThat(missing.err()).contains("999");
            }

            PpaProcesses.Result chroots = local("chroot", "list");
            assertThat(chroots.exit()).as(chroots.toString()).isZero();
            assertThat(chroots.out()).containsPattern("(?m)^bookworm +amd64 +\\d+ MiB +\\(tarball\\) ");
            PpaProcesses.Result removed = local("chroot", "remove", "bookworm", "--arch", "amd64");
            assertThat(removed.exit()).as(removed.toString()).isZero();
            assertThat(removed.out()).isEqualTo("removed the chroot for bookworm/amd64\n");
            assertThat(local("chroot", "list").out()).startsWith("no chroots yet");
            Build waiting = forge.farm().show().id(id).call();
            assertThat(waiting.state()).as(waiting.toString()).isEqualTo(BuildState.CHROOT_WAIT);
            PpaProcesses.Result again = local("chroot", "remove", "bookworm", "--arch", "amd64");
            assertThat(again.exit()).isNotZero();
            assertThat(again.err()).contains("bookworm");
        }
    }
}
