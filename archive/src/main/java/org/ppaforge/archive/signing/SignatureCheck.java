package org.ppaforge.archive.signing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.ppaforge.debian.control.ClearSigned;

/**
 * Verifies an OpenPGP cleartext signature (a signed .changes or .dsc) against a keyring,
 * in process: which key of the keyring made it, or why none did, in words a packager
 * recognises. A signature counts only when it verifies, was made by a key of the keyring
 * that is neither revoked nor expired, and uses a digest stronger than SHA-1.
 */
public final class SignatureCheck {
    /** The key that signed: the primary key's fingerprint and first user ID. */
    public record Signer(String fingerprint, String userId) {}

    /** Why a signed text is not accepted. */
    public static final class Problem extends Exception {
        public enum Kind {
            UNSIGNED,
            MALFORMED,
            UNKNOWN_KEY,
            BAD_SIGNATURE,
            UNUSABLE_KEY,
            WEAK_DIGEST
        }

        private final Kind kind;

        Problem(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    private SignatureCheck() {}

    /**
     * The signer of {@code text} (the whole file as uploaded) among {@code keyring}.
     *
     * @param what how messages name the text (its file name)
     * @param keyringName how messages name a key of the keyring (e.g. "an uploader of trunk")
     */
    public static Signer verify(String text, String what, List<PGPPublicKeyRing> keyring, String keyringName, Date now)
            throws Problem {
        if (!ClearSigned.isClearSigned(text)) {
            throw new Problem(
                    Problem.Kind.UNSIGNED,
                    what + " is not signed (sign it with debsign, or build with dpkg-buildpackage "
                            + "and a signing key)");
        }
        ClearSigned signed;
        List<PGPSignature> signatures;
        try {
            signed = ClearSigned.parse(text, what);
            signatures = signatures(signed.signature());
        } catch (RuntimeException | IOException e) {
            throw new Problem(Problem.Kind.MALFORMED, what + ": the signature cannot be read: " + e.getMessage());
        }
        if (signatures.isEmpty()) {
            throw new Problem(Problem.Kind.MALFORMED, what + ": the signature block holds no signature");
        }
        byte[] canonical = OpenPgp.canonicalText(signed.body()).getBytes(StandardCharsets.UTF_8);
        List<String> unknown = new ArrayList<>();
        Problem last = null;
        for (PGPSignature sig : signatures) {
            PGPPublicKeyRing ring = null;
            PGPPublicKey key = null;
            for (PGPPublicKeyRing r : keyring) {
                PGPPublicKey k = r.getPublicKey(sig.getKeyID());
                if (k != null) {
                    ring = r;
                    key = k;
                    break;
                }
            }
            if (key == null) {
                unknown.add(issuer(sig));
                continue;
            }
            PGPPublicKey primary = ring.getPublicKey();
            String fpr = OpenPgp.fingerprint(primary);
            try {
                sig.init(new BcPGPContentVerifierBuilderProvider(), key);
                sig.update(canonical);
                if (!sig.verify()) {
                    last = new Problem(
                            Problem.Kind.BAD_SIGNATURE,
                            "The signature on " + what + " by key " + fpr
                                    + " does not verify: the file was changed after it was signed");
                    continue;
                }
            } catch (PGPException e) {
                last = new Problem(
                        Problem.Kind.BAD_SIGNATURE,
                        "The signature on " + what + " by key " + fpr + " cannot be checked: " + e.getMessage());
                continue;
            }
            int hash = sig.getHashAlgorithm();
            if (hash == HashAlgorithmTags.MD5
                    || hash == HashAlgorithmTags.SHA1
                    || hash == HashAlgorithmTags.RIPEMD160) {
                last = new Problem(
                        Problem.Kind.WEAK_DIGEST,
                        "The signature on " + what + " by key " + fpr
                                + " uses a weak digest (MD5, SHA-1 or RIPEMD-160); sign with SHA-256 or stronger");
                continue;
            }
            Date when = sig.getCreationTime() == null ? now : sig.getCreationTime();
            String why = OpenPgp.unusableBecause(primary, now);
            if (why == null && key != primary) {
                why = OpenPgp.unusableBecause(key, now);
                why = why == null
                        ? null
                        : "its signing subkey " + OpenPgp.fingerprint(key) + " " + why.replaceFirst("^it ", "");
            }
            if (why != null) {
                last = new Problem(
                        Problem.Kind.UNUSABLE_KEY,
                        "Signing key " + fpr + " (" + OpenPgp.userId(primary) + ") of " + what + " cannot be trusted: "
                                + why);
                continue;
            }
            if (when.after(new Date(now.getTime() + 300_000))) {
                last = new Problem(
                        Problem.Kind.BAD_SIGNATURE,
                        "The signature on " + what + " is dated " + when.toInstant()
                                + ", in the future: check the clock of the machine that signed it");
                continue;
            }
            return new Signer(fpr, OpenPgp.userId(primary));
        }
        if (last != null) {
            throw last;
        }
        throw new Problem(
                Problem.Kind.UNKNOWN_KEY,
                "Signing key " + String.join(", ", unknown) + " of " + what + " is not " + keyringName);
    }

    /** The issuer's fingerprint when the signature names it, else its key ID. */
    private static String issuer(PGPSignature sig) {
        var fp = sig.getHashedSubPackets() == null
                ? null
                : sig.getHashedSubPackets().getIssuerFingerprint();
        if (fp != null) {
            return HexFormat.of().withUpperCase().formatHex(fp.getFingerprint());
        }
        return String.format("%016X", sig.getKeyID());
    }

    private static List<PGPSignature> signatures(String armoured) throws IOException {
        List<PGPSignature> out = new ArrayList<>();
        try (InputStream in =
                PGPUtil.getDecoderStream(new ByteArrayInputStream(armoured.getBytes(StandardCharsets.US_ASCII)))) {
            BcPGPObjectFactory f = new BcPGPObjectFactory(in);
            Object o;
            while ((o = f.nextObject()) != null) {
                if (o instanceof PGPSignatureList list) {
                    list.forEach(out::add);
                }
            }
        }
        return out;
    }
}
