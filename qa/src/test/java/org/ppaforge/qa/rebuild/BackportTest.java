package org.ppaforge.qa.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.farm.Builds;
import org.ppaforge.qa.Qa;

/**
 * {@code ppa backport} from the real Debian mirror: bookworm's hello into a bullseye archive, checked against bookworm's
 * archive key, versioned as Debian backports are ({@code ~bpo11+1}, then {@code +2}), with a changelog entry saying
 * where it came from; a dry run changes nothing; a wrong key is refused before anything is unpacked.
 */
@Timeout(300)
class BackportTest {
    @TempDir
    Path data;

    private static String key(String keyring) throws Exception {
        byte[] raw = Files.readAllBytes(Path.of("/usr/share/keyrings", keyring));
        return OpenPgp.armor(OpenPgp.readPublicRings(raw, keyring).toArray(new PGPPublicKeyRing[0]));
    }

    private static final String BOOKWORM = "deb-src http://deb.debian.org/debian bookworm main";

    /** hello from bookworm into backports/bullseye, with this keyring as the repository's key. */
    private static CreateBackport hello(Qa qa, String keyring) throws Exception {
        return qa.rebuilds()
                .backport()
                .source("hello")
                .from(BOOKWORM)
                .fromKey(key(keyring))
                .to("backports")
                .series("bullseye");
    }

    @Test
    void bookwormsHelloIsBackportedToBullseyeAsDebianNamesBackports() throws Exception {
        try (Ppaforge ppa = Ppaforge.open(data);
                Builds builds = Builds.open(ppa);
                Qa qa = Qa.open(ppa, builds)) {
            ppa.createArchive()
                    .name("backports")
                    .series(List.of("bullseye"))
                    .architectures(List.of("amd64"))
                    .call();
            CreateBackport.Result plan = hello(qa, "debian-archive-bookworm-automatic.gpg")
                    .dryRun(true)
                    .call();
            assertThat(plan.backportVersion()).isEqualTo(plan.version() + "~bpo11+1");
            assertThat(Tools.run(data, "dpkg", "--compare-versions", plan.backportVersion(), "lt", plan.version())
                            .exit())
                    .isZero();
            assertThat(ppa.list().archive("backports").call()).isEmpty();

            CreateBackport.Result done =
                    hello(qa, "debian-archive-bookworm-automatic.gpg").call();
            assertThat(done.backportVersion()).isEqualTo(plan.backportVersion());
            assertThat(ppa.list().archive("backports").call())
                    .singleElement()
                    .satisfies(e -> assertThat(e.version()).isEqualTo(done.backportVersion()));
            var published =
                    ppa.showSource().archive("backports").source("hello").call().get(0);
            var debianTar = published.files().stream()
                    .filter(f -> f.filename().contains(".debian.tar."))
                    .findFirst()
                    .orElseThrow();
            String changelog = Tools.run(
                            data,
                            "tar",
                            "-xOf",
                            ppa.blobs().localPath(debianTar.sha256()).toString(),
                            "debian/changelog")
                    .orFail("tar")
                    .out();
            assertThat(changelog)
                    .startsWith("hello (" + done.backportVersion() + ") bullseye; urgency=medium")
                    .contains("Backport to bullseye (11) of " + done.version() + " from " + BOOKWORM + ".");
            assertThat(ppa.history()
                            .archive("backports")
                            .source("hello")
                            .call()
                            .get(0)
                            .origin())
                    .isEqualTo("backport from " + BOOKWORM);

            // A second backport of the same version: the next number.
            assertThat(hello(qa, "debian-archive-bookworm-automatic.gpg")
                            .dryRun(true)
                            .call()
                            .backportVersion())
                    .isEqualTo(plan.version() + "~bpo11+2");
            // Another release's key: refused, naming the repository, nothing published.
            assertThatThrownBy(() ->
                            hello(qa, "debian-archive-bullseye-automatic.gpg").call())
                    .hasMessageContaining("bookworm");
            assertThat(ppa.list().archive("backports").call()).hasSize(1);
        }
    }
}
