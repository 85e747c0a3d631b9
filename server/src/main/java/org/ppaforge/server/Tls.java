package org.ppaforge.server;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.ppaforge.client.http.Trust;

/**
 * The server's TLS identity from PEM files as openssl and certbot write them: a certificate chain (the server's
 * certificate first) and its unencrypted PKCS#8 private key (RSA, EC or Ed25519). Problems name the file.
 */
public final class Tls {
    private static final Pattern PKCS8 =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private Tls() {}

    /**
     * An SSL context serving {@code certFile}'s chain with {@code keyFile}'s key; IllegalArgumentException names what is
     * wrong. The files are read again when they change (looked at every {@code recheck} at most, on a handshake), so a
     * renewed certificate is served without a restart; a renewal that cannot be used keeps the one before.
     */
    public static SSLContext context(Path certFile, Path keyFile, Duration recheck) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new Reloading(certFile, keyFile, recheck)}, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    certFile + ", " + keyFile + ": cannot serve TLS with them: " + e.getMessage(), e);
        }
    }

    /** {@link #context(Path, Path, java.time.Duration)}, looking for renewed files at most every 10 s. */
    public static SSLContext context(Path certFile, Path keyFile) throws IOException {
        return context(certFile, keyFile, Duration.ofSeconds(10));
    }

    /** The key manager of one certificate and key, under an alias of its own. */
    private static X509ExtendedKeyManager keyManager(Path certFile, Path keyFile, String alias) throws IOException {
        List<X509Certificate> chain = Trust.certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!matches(chain.get(0), key)) {
            throw new IllegalArgumentException(keyFile + ": this private key does not belong to the certificate in "
                    + certFile + " (" + chain.get(0).getSubjectX500Principal().getName() + ")");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0]; // in memory only
            store.setKeyEntry(alias, key, password, chain.toArray(Certificate[]::new));
            // SunX509: its aliases are the store's own ("NewSunX509" rewrites them), which Reloading looks generations
            // up by.
            KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
            keys.init(store, password);
            return (X509ExtendedKeyManager) keys.getKeyManagers()[0];
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    certFile + ", " + keyFile + ": cannot serve TLS with them: " + e.getMessage(), e);
        }
    }

    /**
     * Serves the newest usable generation of the files. Each generation has its own alias, and a handshake asks for the
     * chain and the key by the alias it was given, so it never mixes a new certificate with an old key.
     */
    private static final class Reloading extends X509ExtendedKeyManager {
        private final Path certFile;
        private final Path keyFile;
        private final long recheckNanos;
        private final Map<String, X509ExtendedKeyManager> generations = new ConcurrentHashMap<>();
        private volatile String alias;
        private volatile String stamp;
        private volatile long nextCheck;
        private int generation;

        Reloading(Path certFile, Path keyFile, Duration recheck) throws IOException {
            this.certFile = certFile;
            this.keyFile = keyFile;
            this.recheckNanos = recheck.toNanos();
            this.stamp = stamp();
            load(); // the first generation must be usable: errors go to the caller
        }

        private String stamp() throws IOException {
            return Files.getLastModifiedTime(certFile) + " " + Files.size(certFile) + " "
                    + Files.getLastModifiedTime(keyFile) + " " + Files.size(keyFile);
        }

        private void load() throws IOException {
            String next = "server-" + ++generation;
            generations.put(next, keyManager(certFile, keyFile, next));
            String previous = alias;
            alias = next;
            generations
                    .keySet()
                    .removeIf(a -> !a.equals(next) && !a.equals(previous)); // handshakes under way keep theirs
        }

        /** The alias to serve now, after looking for renewed files when it is time to. */
        private String current() {
            long now = System.nanoTime();
            if (now - nextCheck >= 0) {
                synchronized (this) {
                    if (now - nextCheck >= 0) {
                        nextCheck = now + recheckNanos;
                        try {
                            String seen = stamp();
                            if (!seen.equals(stamp)) {
                                stamp = seen; // tried once per change; a broken renewal keeps the certificate before it
                                load();
                            }
                        } catch (IOException | RuntimeException e) {
                            // half-written or unusable files: keep serving the last good generation
                        }
                    }
                }
            }
            return alias;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            String a = current();
            return generations.get(a).chooseServerAlias(keyType, issuers, socket) == null ? null : a;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            String a = current();
            return generations.get(a).chooseEngineServerAlias(keyType, issuers, engine) == null ? null : a;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            String a = current();
            return generations.get(a).getServerAliases(keyType, issuers) == null ? null : new String[] {a};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            var m = generations.get(alias);
            return m == null ? null : m.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            var m = generations.get(alias);
            return m == null ? null : m.getPrivateKey(alias);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null; // a server's key manager
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            String found = pem.contains("ENCRYPTED PRIVATE KEY")
                    ? "an encrypted key"
                    : pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")
                            ? "a PKCS#1/SEC1 key"
                            : "no private key";
            throw new IllegalArgumentException(
                    file + ": " + found + "; an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----) "
                            + "is needed: convert it with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out "
                            + file.getFileName() + "'");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // next algorithm
            }
        }
        throw new IllegalArgumentException(file + ": not an RSA, EC or Ed25519 private key");
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    private static boolean matches(X509Certificate cert, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, EdDSA
        };
        try {
            byte[] probe = "ppaforge tls key check".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(cert.getPublicKey());
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an RSA key with an EC certificate
        }
    }
}
