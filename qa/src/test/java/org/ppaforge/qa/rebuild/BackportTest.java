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
import org.ppaforge.farm.SetDependencies;
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

    private static CreateBackport macutils(Qa qa, String key) {
        return qa.rebuilds()
                .backport()
                .source("macutils")
                .from(BOOKWORM)
                .fromKey(key)
                .to("backports")
                .series("bullseye");
    }

    private static void archive(Ppaforge ppa, String name, String series) {
        ppa.createArchive()
                .name(name)
                .series(List.of(series))
                .architectures(List.of("amd64"))
                .call();
    }

    /** The archive's builds install from Debian's bullseye (checked against Debian's archive keyring). */
    private static void bullseyeIsTheDistribution(Builds builds) throws Exception {
        builds.setDependencies()
                .archive("backports")
                .externals(List.of(new SetDependencies.External(
                        "deb http://deb.debian.org/debian bullseye main",
                        Files.readAllBytes(Path.of("/usr/share/keyrings/debian-archive-keyring.gpg")))))
                .call();
    }

    /**
     * bookworm's macutils needs debhelper (>= 13.5.2) to build; bullseye has 13.3.4. Without --with-build-deps the plan
     * names that relation and the backport is refused; with it, debhelper is backported first and macutils builds after
     * it. (Real indices: bookworm's Sources and amd64 Packages, bullseye's amd64 Packages.)
     */
    @Test
    void aBuildDependencyOnlyTheNewerSuiteHasIsBackportedFirst() throws Exception {
        try (Ppaforge ppa = Ppaforge.open(data);
                Builds builds = Builds.open(ppa);
                Qa qa = Qa.open(ppa, builds)) {
            archive(ppa, "backports", "bullseye");
            bullseyeIsTheDistribution(builds);
            String key = key("debian-archive-bookworm-automatic.gpg");
            CreateBackport.Result alone = macutils(qa, key).dryRun(true).call();
            assertThat(alone.plan()).extracting(BackportPlan.Step::source).containsExactly("macutils");
            assertThat(alone.unsatisfied()).containsExactly("macutils (to build) Build-Depends: debhelper (>= 13.5.2)");
            assertThatThrownBy(() -> macutils(qa, key).call())
                    .hasMessageContaining("debhelper (>= 13.5.2)")
                    .hasMessageContaining("--with-build-deps");
            assertThat(ppa.list().archive("backports").call()).isEmpty();

            CreateBackport.Result plan =
                    macutils(qa, key).withBuildDeps(true).dryRun(true).call();
            assertThat(plan.unsatisfied()).isEmpty();
            assertThat(plan.cycles()).isEmpty();
            assertThat(plan.plan()).extracting(BackportPlan.Step::source).containsExactly("debhelper", "macutils");
            BackportPlan.Step debhelper = plan.plan().get(0);
            assertThat(debhelper.why()).isEqualTo("macutils (to build) Build-Depends: debhelper (>= 13.5.2)");
            assertThat(debhelper.backportVersion()).isEqualTo(debhelper.version() + "~bpo11+1");
            assertThat(plan.plan().get(1).after()).containsExactly("debhelper");
            assertThat(ppa.list().archive("backports").call()).isEmpty();
        }
    }

    /** An archive of this server as the origin: its published source, no key needed. */
    @Test
    void aSourceOfAnotherArchiveIsBackportedFromThePool() throws Exception {
        try (Ppaforge ppa = Ppaforge.open(data);
                Builds builds = Builds.open(ppa);
                Qa qa = Qa.open(ppa, builds)) {
            archive(ppa, "trunk", "bookworm");
            archive(ppa, "backports", "bullseye");
            bullseyeIsTheDistribution(builds);
            Path dsc = org.ppaforge.debian.testing.RealSources.dsc(
                    org.ppaforge.debian.testing.RealSources.defaultCache(),
                    org.ppaforge.debian.testing.RealSources.current(
                            org.ppaforge.debian.testing.RealSources.defaultCache(), "hello"));
            ppa.include()
                    .archive("trunk")
                    .series("bookworm")
                    .files(List.of(dsc))
                    .call();
            String version = ppa.list().archive("trunk").call().get(0).version();

            // Signed with the caller's key, not the archive's.
            var mine = OpenPgp.generate(
                    OpenPgp.KeyType.ED25519, "Pat Packager <pat@example.org>", null, new java.util.Date());
            CreateBackport.Result r = qa.rebuilds()
                    .backport()
                    .source("hello")
                    .from("trunk/bookworm")
                    .to("backports")
                    .series("bullseye")
                    .signKey(OpenPgp.armor(mine))
                    .call();
            assertThat(r.from()).isEqualTo("archive trunk/bookworm");
            var dscFile = ppa.showSource().archive("backports").source("hello").call().get(0).files().stream()
                    .filter(f -> f.filename().endsWith(".dsc"))
                    .findFirst()
                    .orElseThrow();
            assertThat(org.ppaforge.archive.signing.SignatureCheck.verify(
                                    Files.readString(ppa.blobs().localPath(dscFile.sha256())),
                                    dscFile.filename(),
                                    List.of(OpenPgp.publicRing(mine)),
                                    "the caller's key",
                                    new java.util.Date())
                            .userId())
                    .isEqualTo("Pat Packager <pat@example.org>");
            assertThat(r.backportVersion()).isEqualTo(version + "~bpo11+1");
            assertThat(ppa.list().archive("backports").call())
                    .extracting(e -> e.source() + " " + e.version())
                    .containsExactly("hello " + version + "~bpo11+1");
            assertThatThrownBy(() -> qa.rebuilds()
                            .backport()
                            .source("hello")
                            .from("nosuch")
                            .to("backports")
                            .series("bullseye")
                            .call())
                    .hasMessageContaining("ARCHIVE[/SERIES]");
        }
    }

    @Test
    void bookwormsHelloIsBackportedToBullseyeAsDebianNamesBackports() throws Exception {
        try (Ppaforge ppa = Ppaforge.open(data);
                Builds builds = Builds.open(ppa);
                Qa qa = Qa.open(ppa, builds)) {
            archive(ppa, "backports", "bullseye");
            bullseyeIsTheDistribution(builds);
            CreateBackport.Result plan = hello(qa, "debian-archive-bookworm-automatic.gpg")
                    .dryRun(true)
                    .call();
            assertThat(plan.backportVersion()).isEqualTo(plan.version() + "~bpo11+1");
            // hello's build-dependencies (debhelper-compat (= 13)) are all in bullseye: a plan of one.
            assertThat(plan.plan()).extracting(BackportPlan.Step::source).containsExactly("hello");
            assertThat(plan.unsatisfied()).isEmpty();
            // NAME=VERSION takes that version, which the index must list.
            assertThat(hello(qa, "debian-archive-bookworm-automatic.gpg")
                            .source("hello=" + plan.version())
                            .dryRun(true)
                            .call()
                            .backportVersion())
                    .isEqualTo(plan.backportVersion());
            assertThatThrownBy(() -> hello(qa, "debian-archive-bookworm-automatic.gpg")
                            .source("hello=0.1-1")
                            .dryRun(true)
                            .call())
                    .hasMessageContaining("has no hello 0.1-1 (it has " + plan.version());
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
            // The .dsc is signed with the archive's key, as its Release files are.
            var dscFile = published.files().stream()
                    .filter(f -> f.filename().endsWith(".dsc"))
                    .findFirst()
                    .orElseThrow();
            String dscText = Files.readString(ppa.blobs().localPath(dscFile.sha256()));
            assertThat(org.ppaforge.archive.signing.SignatureCheck.verify(
                                    dscText,
                                    dscFile.filename(),
                                    OpenPgp.readPublicRings(
                                            ppa.exportKey()
                                                    .archive("backports")
                                                    .call()
                                                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                                            "the archive's key"),
                                    "the archive's key",
                                    new java.util.Date())
                            .userId())
                    .contains("backports");
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
