package org.ppaforge.debian.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.testing.Tools;

class ClearSignedTest {

    @Test
    void realDebianInReleaseGivesItsBodyAndSignatures() {
        String text = Tools.resourceText("/samples/InRelease-bookworm");
        ClearSigned signed = ClearSigned.parse(text, "InRelease");
        assertThat(signed.hashes()).containsExactly("SHA256");
        assertThat(signed.signature())
                .startsWith(ClearSigned.BEGIN_SIGNATURE)
                .endsWith(ClearSigned.END_SIGNATURE + "\n");
        Stanza release = Deb822Reader.parseSingle(signed.body(), "InRelease");
        assertThat(release.get("Codename")).isEqualTo("bookworm");
        assertThat(release.field("SHA256").items())
                .anySatisfy(l -> assertThat(l).endsWith("main/binary-amd64/Packages"));
    }

    @Test
    void undoesDashEscapingOfARealGpgClearsignature(@TempDir Path home) throws Exception {
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
                                "Test Signer <test@example.org>",
                                "ed25519",
                                "sign",
                                "never"))
                .orFail("gpg key generation");
        String body = "Format: 1.8\nSource: hello\n-----BEGIN PGP SIGNATURE-----\n- dashed line\nVersion: 1.0\n";
        String signed = Tools.run(
                        home,
                        body.getBytes(StandardCharsets.UTF_8),
                        List.of(
                                "gpg",
                                "--homedir",
                                home.toString(),
                                "--batch",
                                "--clearsign",
                                "--digest-algo",
                                "SHA512"))
                .orFail("gpg --clearsign")
                .out();
        assertThat(signed).contains("- -----BEGIN PGP SIGNATURE-----");
        ClearSigned parsed = ClearSigned.parse(signed, "hello.changes");
        assertThat(parsed.body()).isEqualTo(body);
        assertThat(parsed.hashes()).containsExactly("SHA512");
        assertThat(ClearSigned.bodyOf(body, "plain")).isEqualTo(body);
    }

    @Test
    void malformedMessagesAreNamed() {
        assertThatThrownBy(() -> ClearSigned.parse(ClearSigned.BEGIN_MESSAGE + "\nHash: SHA256\n\nA: 1\n", "x.dsc"))
                .hasMessageContaining("x.dsc")
                .hasMessageContaining("no '-----BEGIN PGP SIGNATURE-----' block");
        assertThatThrownBy(() -> ClearSigned.parse(ClearSigned.BEGIN_MESSAGE + "\nHash: SHA256\n\n-bad\n", "y.dsc"))
                .hasMessage("y.dsc:4: line starting with '-' is not dash-escaped in a clearsigned message");
        assertThatThrownBy(() -> ClearSigned.parse("A: 1\n", "z.dsc"))
                .hasMessageContaining("not an OpenPGP clearsigned message");
    }
}
