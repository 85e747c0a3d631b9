package org.ppaforge.archive.signing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.PBESecretKeyEncryptor;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * The OpenPGP operations archives need, on Bouncy Castle's lightweight API (no JCE
 * provider): key generation, certification at a key rotation, armouring, and the
 * signatures apt checks (SHA-512 digests; apt refuses SHA-1 and MD5).
 */
public final class OpenPgp {
    /** Key types apt accepts. */
    public enum KeyType {
        ED25519("ed25519"),
        RSA4096("rsa4096");

        public final String label;

        KeyType(String label) {
            this.label = label;
        }

        public static KeyType parse(String s) {
            for (KeyType t : values()) {
                if (t.label.equalsIgnoreCase(s)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown key type '" + s + "' (choose ed25519 or rsa4096)");
        }
    }

    private static final int DIGEST = HashAlgorithmTags.SHA512;
    private static final SecureRandom RANDOM = new SecureRandom();

    private OpenPgp() {}

    /** A new signing key (certify + sign), protected by {@code passphrase} when not null. */
    public static PGPSecretKeyRing generate(KeyType type, String userId, char[] passphrase, Date created) {
        try {
            PGPKeyPair pair = switch (type) {
                case ED25519 -> {
                    Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
                    g.init(new Ed25519KeyGenerationParameters(RANDOM));
                    yield new BcPGPKeyPair(PublicKeyAlgorithmTags.EDDSA_LEGACY, g.generateKeyPair(), created);
                }
                case RSA4096 -> {
                    RSAKeyPairGenerator g = new RSAKeyPairGenerator();
                    g.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), RANDOM, 4096, 100));
                    AsymmetricCipherKeyPair kp = g.generateKeyPair();
                    yield new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, kp, created);
                }
            };
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            hashed.setPreferredHashAlgorithms(
                    false, new int[] {HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA256});
            hashed.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
            hashed.setSignatureCreationTime(false, created);
            PBESecretKeyEncryptor encryptor = passphrase == null
                    ? null
                    : new BcPBESecretKeyEncryptorBuilder(
                                    SymmetricKeyAlgorithmTags.AES_256,
                                    new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA256),
                                    0xc0)
                            .build(passphrase);
            PGPKeyRingGenerator gen = new PGPKeyRingGenerator(
                    PGPSignature.POSITIVE_CERTIFICATION,
                    pair,
                    userId,
                    new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1),
                    hashed.generate(),
                    null,
                    new BcPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), DIGEST),
                    encryptor);
            return gen.generateSecretKeyRing();
        } catch (PGPException e) {
            throw new IllegalStateException("key generation failed: " + e.getMessage(), e);
        }
    }

    public static String fingerprint(PGPPublicKey key) {
        return HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
    }

    public static String algorithm(PGPPublicKey key) {
        return switch (key.getAlgorithm()) {
            case PublicKeyAlgorithmTags.EDDSA_LEGACY, PublicKeyAlgorithmTags.Ed25519 -> "ed25519";
            case PublicKeyAlgorithmTags.RSA_GENERAL, PublicKeyAlgorithmTags.RSA_SIGN -> "rsa" + key.getBitStrength();
            case PublicKeyAlgorithmTags.ECDSA -> "ecdsa" + key.getBitStrength();
            case PublicKeyAlgorithmTags.DSA -> "dsa" + key.getBitStrength();
            default -> "algorithm-" + key.getAlgorithm();
        };
    }

    /** Refuses keys apt refuses: RSA under 2048 bits, DSA; and keys that cannot sign. */
    public static void checkUsableForApt(PGPSecretKeyRing ring, String what) {
        PGPPublicKey key = ring.getPublicKey();
        String alg = algorithm(key);
        if (key.getAlgorithm() == PublicKeyAlgorithmTags.DSA
                || (alg.startsWith("rsa") && key.getBitStrength() < 2048)) {
            throw new IllegalArgumentException(what + ": key " + fingerprint(key) + " is " + alg
                    + ": apt rejects it as weak (use RSA >= 2048 or Ed25519)");
        }
        if (!ring.getSecretKey().isSigningKey()) {
            throw new IllegalArgumentException(what + ": key " + fingerprint(key) + " cannot sign");
        }
    }

    public static String userId(PGPPublicKey key) {
        Iterator<String> ids = key.getUserIDs();
        return ids.hasNext() ? ids.next() : "";
    }

    public static PGPPublicKeyRing publicRing(PGPSecretKeyRing ring) {
        List<PGPPublicKey> keys = new ArrayList<>();
        ring.getPublicKeys().forEachRemaining(keys::add);
        return new PGPPublicKeyRing(keys);
    }

    /** Reads the first secret key ring of an armoured or binary key file. */
    public static PGPSecretKeyRing readSecretRing(byte[] data, String what) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(data))) {
            PGPSecretKeyRingCollection c = new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator());
            Iterator<PGPSecretKeyRing> it = c.getKeyRings();
            if (!it.hasNext()) {
                throw new IllegalArgumentException(what + " holds no OpenPGP secret key");
            }
            return it.next();
        } catch (IOException | PGPException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae
                    && iae.getMessage() != null
                    && iae.getMessage().startsWith(what)) {
                throw iae;
            }
            throw new IllegalArgumentException(
                    what + " is not an OpenPGP secret key (a public key cannot sign; export the secret "
                            + "key with 'gpg --export-secret-keys --armor KEYID'): " + e.getMessage(),
                    e);
        }
    }

    /**
     * Every public key ring in a key file (armoured or binary; a secret key file gives its public parts), as
     * exported by {@code gpg --export --armor}.
     */
    public static List<PGPPublicKeyRing> readPublicRings(byte[] data, String what) {
        List<PGPPublicKeyRing> out = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(data))) {
            PGPObjectFactory f = new BcPGPObjectFactory(in);
            Object o;
            while ((o = f.nextObject()) != null) {
                if (o instanceof PGPPublicKeyRing r) {
                    out.add(r);
                } else if (o instanceof PGPSecretKeyRing r) {
                    out.add(publicRing(r));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(what + " is not an OpenPGP key file: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(
                    what + " holds no OpenPGP public key (export one with 'gpg --export --armor KEYID')");
        }
        return out;
    }

    /**
     * A key file as ASCII armour: an armoured one as it is, a binary keyring (as {@code /usr/share/keyrings} holds)
     * armoured.
     */
    public static String armoredPublicKeys(byte[] data, String what) {
        String text = new String(data, StandardCharsets.US_ASCII);
        return text.contains("-----BEGIN PGP PUBLIC KEY BLOCK-----")
                ? text
                : armor(readPublicRings(data, what).toArray(new PGPPublicKeyRing[0]));
    }

    /** Why a key cannot be trusted to sign anything now, or null: revoked, or expired. */
    public static String unusableBecause(PGPPublicKey key, Date now) {
        if (key.hasRevocation()) {
            return "it is revoked";
        }
        long valid = key.getValidSeconds();
        if (valid > 0 && key.getCreationTime().getTime() + valid * 1000 < now.getTime()) {
            return "it expired on " + new Date(key.getCreationTime().getTime() + valid * 1000).toInstant();
        }
        return null;
    }

    public static PGPPublicKeyRing readPublicRing(String armoured) {
        try (InputStream in =
                PGPUtil.getDecoderStream(new ByteArrayInputStream(armoured.getBytes(StandardCharsets.US_ASCII)))) {
            return new PGPPublicKeyRing(in, new BcKeyFingerprintCalculator());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code ring} with its secret keys protected by {@code passphrase} (AES-256, as generated keys are); a ring that is
     * protected already is returned as it is.
     */
    public static PGPSecretKeyRing protect(PGPSecretKeyRing ring, char[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw new IllegalArgumentException("protecting a key needs a passphrase (PPAFORGE_KEY_PASSPHRASE)");
        }
        if (ring.getSecretKey().getKeyEncryptionAlgorithm() != SymmetricKeyAlgorithmTags.NULL) {
            return ring;
        }
        try {
            return PGPSecretKeyRing.copyWithNewPassword(
                    ring,
                    null,
                    new BcPBESecretKeyEncryptorBuilder(
                                    SymmetricKeyAlgorithmTags.AES_256,
                                    new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA256),
                                    0xc0)
                            .build(passphrase));
        } catch (PGPException e) {
            throw new IllegalStateException(
                    "cannot protect key " + fingerprint(ring.getPublicKey()) + ": " + e.getMessage(), e);
        }
    }

    public static PGPPrivateKey privateKey(PGPSecretKey key, char[] passphrase) {
        try {
            return key.extractPrivateKey(
                    key.getKeyEncryptionAlgorithm() == SymmetricKeyAlgorithmTags.NULL
                            ? null
                            : new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider())
                                    .build(passphrase == null ? new char[0] : passphrase));
        } catch (PGPException e) {
            throw new IllegalArgumentException(
                    "cannot unlock key " + fingerprint(key.getPublicKey())
                            + (passphrase == null
                                    ? ": it is passphrase-protected; set PPAFORGE_KEY_PASSPHRASE"
                                    : ": wrong passphrase in PPAFORGE_KEY_PASSPHRASE"),
                    e);
        }
    }

    /** {@code target}'s public ring with its user ID certified by {@code signer} (a rotation's link of trust). */
    public static PGPPublicKeyRing certify(PGPPublicKeyRing target, PGPSecretKey signer, char[] passphrase, Date when) {
        try {
            PGPPublicKey key = target.getPublicKey();
            String uid = userId(key);
            PGPSignatureGenerator g = generator(signer, PGPSignature.DEFAULT_CERTIFICATION, passphrase, when);
            PGPSignature cert = g.generateCertification(uid, key);
            return PGPPublicKeyRing.insertPublicKey(target, PGPPublicKey.addCertification(key, uid, cert));
        } catch (PGPException e) {
            throw new IllegalStateException("certification failed: " + e.getMessage(), e);
        }
    }

    static PGPSignatureGenerator generator(PGPSecretKey key, int type, char[] passphrase, Date when)
            throws PGPException {
        PGPPublicKey pub = key.getPublicKey();
        PGPSignatureGenerator g =
                new PGPSignatureGenerator(new BcPGPContentSignerBuilder(pub.getAlgorithm(), DIGEST), pub);
        g.init(type, privateKey(key, passphrase));
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(false, when);
        hashed.setIssuerFingerprint(false, pub);
        g.setHashedSubpackets(hashed.generate());
        PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
        unhashed.setIssuerKeyID(false, pub.getKeyID());
        g.setUnhashedSubpackets(unhashed.generate());
        return g;
    }

    public static String armor(PGPPublicKeyRing... rings) {
        return armor(out -> {
            for (PGPPublicKeyRing r : rings) {
                r.encode(out, true);
            }
        });
    }

    public static String armor(PGPSecretKeyRing ring) {
        return armor(out -> ring.encode(out));
    }

    interface Encoder {
        void encode(OutputStream out) throws IOException;
    }

    static String armor(Encoder e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ArmoredOutputStream a =
                ArmoredOutputStream.builder().clearHeaders().build(bytes)) {
            e.encode(a);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    /** Encodes signatures as one ASCII-armoured signature block. */
    static String armorSignatures(List<PGPSignature> signatures) {
        return armor(out -> {
            BCPGOutputStream b = new BCPGOutputStream(out);
            for (PGPSignature s : signatures) {
                s.encode(b);
            }
            b.flush();
        });
    }

    /**
     * The form a cleartext signature covers (RFC 4880, 7.1) of {@code text} (lines ending in LF): lines
     * joined by CR LF, trailing blanks removed, no final line break.
     */
    public static String canonicalText(String text) {
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        StringBuilder canonical = new StringBuilder(body.length() + body.length() / 40);
        int start = 0;
        while (true) {
            int nl = body.indexOf('\n', start);
            String line = body.substring(start, nl < 0 ? body.length() : nl);
            int end = line.length();
            while (end > 0
                    && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t' || line.charAt(end - 1) == '\r')) {
                end--;
            }
            canonical.append(line, 0, end);
            if (nl < 0) {
                return canonical.toString();
            }
            canonical.append("\r\n");
            start = nl + 1;
        }
    }
}
