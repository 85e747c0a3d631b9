package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.testing.Tools;

/** TLS identities from PEM files made by openssl; each bad one is refused with the file and the problem named. */
class TlsTest {
    @TempDir
    Path dir;

    @Test
    void certificateAndKeyFilesAsOpensslWritesThem() throws Exception {
        Path[] ec = Tools.selfSignedCertificate(dir.resolve("ec"));
        assertThat(Tls.context(ec[0], ec[1]).getProtocol()).isEqualTo("TLS");

        Path rsaKey = dir.resolve("rsa.key");
        Path rsaCert = dir.resolve("rsa.pem");
        Tools.run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-keyout", rsaKey.toString(), "-out", rsaCert.toString()).orFail("openssl req rsa");
        assertThat(Tls.context(rsaCert, rsaKey)).isNotNull();

        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> Tls.context(garbage, ec[1])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(garbage + ": not a PEM certificate chain");

        // The key of another certificate.
        assertThatThrownBy(() -> Tls.context(ec[0], rsaKey)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(rsaKey + ": this private key does not belong to the certificate in " + ec[0]);
        Path[] other = Tools.selfSignedCertificate(dir.resolve("other"));
        assertThatThrownBy(() -> Tls.context(ec[0], other[1])).hasMessageContaining("does not belong to the certificate");

        // Key formats other than unencrypted PKCS#8, with the conversion to make.
        Path pkcs1 = dir.resolve("pkcs1.key");
        Tools.run(dir, "openssl", "rsa", "-in", rsaKey.toString(), "-traditional", "-out", pkcs1.toString()).orFail("openssl rsa");
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThatThrownBy(() -> Tls.context(rsaCert, pkcs1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(pkcs1 + ": a PKCS#1/SEC1 key; an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----) is needed: "
                        + "convert it with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out pkcs1.key'");
        Path encrypted = dir.resolve("encrypted.key");
        Tools.run(dir, "openssl", "pkcs8", "-topk8", "-in", ec[1].toString(), "-passout", "pass:secret", "-out", encrypted.toString())
                .orFail("openssl pkcs8 encrypt");
        assertThatThrownBy(() -> Tls.context(ec[0], encrypted)).hasMessageStartingWith(encrypted + ": an encrypted key;");
    }
}
