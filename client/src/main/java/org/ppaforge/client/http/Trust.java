package org.ppaforge.client.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Certificates from PEM files: what a client trusts instead of Java's CAs, and the server's chain. */
public final class Trust {
    private Trust() {}

    /**
     * A client context that trusts only the certificates in {@code caFile} (PEM): a server's self-signed certificate,
     * or the team's own CA.
     */
    public static SSLContext trusting(Path caFile) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate c : certificates(caFile)) {
                store.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(caFile + ": cannot trust these certificates: " + e.getMessage(), e);
        }
    }

    /** The certificates of a PEM file, the first one valid now; IllegalArgumentException names what is wrong. */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        byte[] pem = Files.readAllBytes(file);
        try {
            List<X509Certificate> chain =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).stream()
                            .map(X509Certificate.class::cast)
                            .toList();
            if (chain.isEmpty()) {
                throw new CertificateException("no certificate");
            }
            chain.get(0).checkValidity();
            return chain;
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new IllegalArgumentException(file + ": the certificate is not valid now: " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(
                    file + ": not a PEM certificate chain (-----BEGIN CERTIFICATE-----): " + e.getMessage(), e);
        }
    }
}
