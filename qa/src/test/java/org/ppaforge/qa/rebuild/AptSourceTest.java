package org.ppaforge.qa.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.signing.OpenPgp;

/**
 * A real source from the Debian mirror, as a rebuild set with an apt-repository source fetches it: bookworm's InRelease
 * checked with the archive key from debian-archive-keyring, Sources.xz and hello's four files checked; with another
 * release's key, refused at the signature.
 */
class AptSourceTest {
    @TempDir
    Path dir;

    private static String key(String keyring) throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/usr/share/keyrings", keyring));
        return OpenPgp.armor(OpenPgp.readPublicRings(raw, keyring).toArray(new PGPPublicKeyRing[0]));
    }

    @Test
    void theDebianMirrorsSignedSourcesAreFetchedAndChecked() throws Exception {
        AptSource.Spec bookworm = AptSource.Spec.parse("deb-src http://deb.debian.org/debian bookworm main");
        AptSource.Fetched f =
                AptSource.fetch(bookworm, key("debian-archive-bookworm-automatic.gpg"), "hello", dir.resolve("ok"));
        assertThat(f.version()).isEqualTo("2.10-3");
        assertThat(dir.resolve("ok").toFile().list())
                .contains(
                        "hello_2.10-3.dsc",
                        "hello_2.10-3.debian.tar.xz",
                        "hello_2.10.orig.tar.gz",
                        "hello_2.10.orig.tar.gz.asc");
        assertThatThrownBy(() -> AptSource.fetch(
                        bookworm, key("debian-archive-bullseye-automatic.gpg"), "hello", dir.resolve("bad")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("InRelease of http://deb.debian.org/debian bookworm");
        assertThat(dir.resolve("bad/hello_2.10-3.dsc")).doesNotExist();
        assertThatThrownBy(() -> AptSource.Spec.parse("deb ftp://x bookworm main"))
                .hasMessageContaining("deb-src URL SUITE COMPONENT");
    }
}
