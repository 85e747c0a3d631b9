package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.client.http.Trust;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/** TLS identities from PEM files made by openssl; each bad one is refused with the file and the problem named. */
class TlsTest {
    @TempDir
    Path dir;

    @Test
    void certificateAndKeyFilesAsOpensslWritesThem() throws Exception {
        Path[] ec = Tools.selfSignedCertificate(dir.resolve("ec"));
        Path rsaKey = dir.resolve("rsa.key");
        Path rsaCert = dir.resolve("rsa.pem");
        Tools.run(
                        dir,
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "2",
                        "-subj",
                        "/CN=127.0.0.1",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1",
                        "-keyout",
                        rsaKey.toString(),
                        "-out",
                        rsaCert.toString())
                .orFail("openssl req rsa");
        // Each identity serves a real handshake to a client that trusts it (and only it), and openssl's own client
        // verifies the served chain too.
        for (Path[] identity : List.of(ec, new Path[] {rsaCert, rsaKey})) {
            try (Forge forge = Forge.open(ForgeConfig.of(dir.resolve("data-" + identity[0].getFileName())));
                    PpaServer server = new PpaServer(
                                    forge,
                                    "127.0.0.1",
                                    0,
                                    PpaServer.Timeouts.DEFAULT,
                                    Tls.context(identity[0], identity[1]))
                            .start()) {
                Ppaforge ppa = forge.archive();
                assertThat(served(server.port(), identity[0])).isEqualTo(read(identity[0]));
                Tools.Result s = Tools.run(
                        dir,
                        "bash",
                        "-c",
                        "openssl s_client -connect 127.0.0.1:" + server.port() + " -CAfile " + identity[0]
                                + " -verify_return_error -verify_ip 127.0.0.1 </dev/null");
                assertThat(s.exit()).as(s.err() + s.out()).isZero();
                assertThat(s.out()).contains("Verify return code: 0 (ok)");
            }
        }

        Path garbage = Files.writeString(
                dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> Tls.context(garbage, ec[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(garbage + ": not a PEM certificate chain");

        // The key of another certificate.
        assertThatThrownBy(() -> Tls.context(ec[0], rsaKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(rsaKey + ": this private key does not belong to the certificate in " + ec[0]);
        Path[] other = Tools.selfSignedCertificate(dir.resolve("other"));
        assertThatThrownBy(() -> Tls.context(ec[0], other[1]))
                .hasMessageContaining("does not belong to the certificate");

        // Key formats other than unencrypted PKCS#8, with the conversion to make.
        Path pkcs1 = dir.resolve("pkcs1.key");
        Tools.run(dir, "openssl", "rsa", "-in", rsaKey.toString(), "-traditional", "-out", pkcs1.toString())
                .orFail("openssl rsa");
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThatThrownBy(() -> Tls.context(rsaCert, pkcs1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(pkcs1
                        + ": a PKCS#1/SEC1 key; an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----) is needed: "
                        + "convert it with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out pkcs1.key'");
        Path encrypted = dir.resolve("encrypted.key");
        Tools.run(
                        dir,
                        "openssl",
                        "pkcs8",
                        "-topk8",
                        "-in",
                        ec[1].toString(),
                        "-passout",
                        "pass:secret",
                        "-out",
                        encrypted.toString())
                .orFail("openssl pkcs8 encrypt");
        assertThatThrownBy(() -> Tls.context(ec[0], encrypted))
                .hasMessageStartingWith(encrypted + ": an encrypted key;");
    }

    /** The certificate a TLS client is given by 127.0.0.1:port, trusting the certificates in caFile. */
    private static X509Certificate served(int port, Path caFile) throws Exception {
        try (SSLSocket socket =
                (SSLSocket) Trust.trusting(caFile).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestartAndABrokenRenewalKeepsTheLastGoodOne() throws Exception {
        Path[] first = Tools.selfSignedCertificate(dir.resolve("first"));
        Path[] second = Tools.selfSignedCertificate(dir.resolve("second"));
        Path cert = Files.copy(first[0], dir.resolve("live-cert.pem"));
        Path key = Files.copy(first[1], dir.resolve("live-key.pem"));
        Path both =
                Files.writeString(dir.resolve("trust.pem"), Files.readString(first[0]) + Files.readString(second[0]));
        try (Forge forge = Forge.open(ForgeConfig.of(dir.resolve("data")));
                PpaServer server = new PpaServer(
                                forge,
                                "127.0.0.1",
                                0,
                                PpaServer.Timeouts.DEFAULT,
                                Tls.context(cert, key, Duration.ZERO))
                        .start()) {
            Ppaforge ppa = forge.archive();
            assertThat(served(server.port(), both)).isEqualTo(read(first[0]));

            // certbot's renewal: new files in place (key first, then the certificate).
            Files.copy(second[1], key, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second[0], cert, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(cert, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
            assertThat(served(server.port(), both)).isEqualTo(read(second[0]));

            // A renewal that went wrong (a truncated certificate): the server goes on with the last good one.
            Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nMIIB\n");
            Files.setLastModifiedTime(cert, FileTime.fromMillis(System.currentTimeMillis() + 120_000));
            assertThat(served(server.port(), both)).isEqualTo(read(second[0]));
            assertThat(served(server.port(), both)).isEqualTo(read(second[0]));
        }
    }
}
