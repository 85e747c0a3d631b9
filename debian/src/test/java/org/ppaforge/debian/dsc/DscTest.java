package org.ppaforge.debian.dsc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.changes.Changes;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.debian.checksum.ListedFile;
import org.ppaforge.debian.testing.SourcePackages;
import org.ppaforge.debian.testing.Tools;

/** .dsc and .changes written by the real dpkg-source and dpkg-genchanges, signed by real gpg. */
class DscTest {
    @TempDir
    Path work;

    @Test
    void parsesARealSourcePackageAndItsChanges() throws Exception {
        Path changesFile = SourcePackages.buildSourceUpload(work, "frobnicate", "1.2", "1", "noble");
        Changes changes = Changes.parse(
                Files.readString(changesFile), changesFile.getFileName().toString());
        assertThat(changes.source()).isEqualTo("frobnicate");
        assertThat(changes.version()).hasToString("1.2-1");
        assertThat(changes.distributions()).containsExactly("noble");
        assertThat(changes.architectures()).containsExactly("source");
        assertThat(changes.hasSource()).isTrue();
        assertThat(changes.isSigned()).isFalse();
        assertThat(changes.files())
                .extracting(ListedFile::name)
                .containsExactlyInAnyOrder(
                        "frobnicate_1.2-1.dsc", "frobnicate_1.2.orig.tar.gz", "frobnicate_1.2-1.debian.tar.xz");
        assertThat(changes.files()).allSatisfy(f -> assertThat(f.section()).isEqualTo("misc"));
        for (ListedFile f : changes.files()) {
            assertThat(f.mismatch(Checksums.of(work.resolve(f.name()))))
                    .as(f.name())
                    .isNull();
        }

        Path dscFile = work.resolve("frobnicate_1.2-1.dsc");
        Dsc dsc = Dsc.parse(Files.readString(dscFile), "frobnicate_1.2-1.dsc");
        assertThat(dsc.source()).isEqualTo("frobnicate");
        assertThat(dsc.format()).isEqualTo("3.0 (quilt)");
        assertThat(dsc.binaries()).containsExactly("frobnicate", "frobnicate-doc");
        assertThat(dsc.architectures()).containsExactly("any", "all");
        assertThat(dsc.files())
                .extracting(ListedFile::name)
                .containsExactlyInAnyOrder("frobnicate_1.2.orig.tar.gz", "frobnicate_1.2-1.debian.tar.xz");
        for (ListedFile f : dsc.files()) {
            assertThat(f.sha256())
                    .isEqualTo(Checksums.of(work.resolve(f.name())).sha256());
            assertThat(f.section()).isNull();
        }
    }

    @Test
    void readsGpgSignedFiles(@TempDir Path home) throws Exception {
        Path changesFile = SourcePackages.buildSourceUpload(work, "frobnicate", "1.2", "1", "noble");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Tools.run(
                        home,
                        null,
                        List.of(
                                "gpg",
                                "--homedir",
                                home.toString(),
                                "--batch",
                                "--passphrase",
                                "",
                                "--quick-gen-key",
                                "Signer <s@example.org>",
                                "ed25519",
                                "sign",
                                "never"))
                .orFail("gpg key");
        String signed = Tools.run(
                        work,
                        Files.readAllBytes(changesFile),
                        List.of("gpg", "--homedir", home.toString(), "--batch", "--clearsign"))
                .orFail("gpg --clearsign")
                .out();
        Changes changes = Changes.parse(signed, "frobnicate_1.2-1_source.changes");
        assertThat(changes.isSigned()).isTrue();
        assertThat(changes.signature()).contains("BEGIN PGP SIGNATURE");
        assertThat(changes.stanza())
                .isEqualTo(Changes.parse(Files.readString(changesFile), "x").stanza());
    }

    @Test
    void inconsistentListsAreRefusedNamingTheFile() throws Exception {
        Path changesFile = SourcePackages.buildSourceUpload(work, "frobnicate", "1.2", "1", "noble");
        String dsc = Files.readString(work.resolve("frobnicate_1.2-1.dsc"), StandardCharsets.UTF_8);
        String sha256Line = dsc.lines()
                .filter(l -> l.startsWith(" ") && l.strip().split(" ")[0].length() == 64)
                .findFirst()
                .orElseThrow();
        String[] parts = sha256Line.strip().split(" ");

        String missing = dsc.replace(sha256Line + "\n", "");
        assertThatThrownBy(() -> Dsc.parse(missing, "a.dsc"))
                .isInstanceOf(FormatException.class)
                .hasMessage("a.dsc: file '" + parts[2] + "' is in Files but not in Checksums-Sha256");

        String wrongSize =
                dsc.replace(sha256Line, " " + parts[0] + " " + (Long.parseLong(parts[1]) + 1) + " " + parts[2]);
        assertThatThrownBy(() -> Dsc.parse(wrongSize, "b.dsc"))
                .hasMessage("b.dsc: file '" + parts[2] + "' has size " + parts[1] + " in Files but "
                        + (Long.parseLong(parts[1]) + 1) + " in Checksums-Sha256");

        String traversal = dsc.replace(parts[2], "../../etc/passwd");
        assertThatThrownBy(() -> Dsc.parse(traversal, "c.dsc"))
                .hasMessageStartingWith("c.dsc: file name '../../etc/passwd'")
                .hasMessageContaining("path separator");

        String badVersion = dsc.replace("Version: 1.2-1", "Version: 1.2-");
        assertThatThrownBy(() -> Dsc.parse(badVersion, "d.dsc"))
                .hasMessage("d.dsc: invalid version '1.2-': revision number is empty");

        String changes = Files.readString(changesFile);
        String noDist = changes.replaceAll("(?m)^Distribution: .*\n", "");
        assertThatThrownBy(() -> Changes.parse(noDist, "e.changes"))
                .hasMessage("e.changes: missing required field 'Distribution'");
        String badHex = changes.replaceFirst("(?m)^ [0-9a-f]{32} ", " zz ");
        assertThatThrownBy(() -> Changes.parse(badHex, "f.changes"))
                .hasMessageContaining("f.changes: malformed checksum 'zz'");
    }
}
