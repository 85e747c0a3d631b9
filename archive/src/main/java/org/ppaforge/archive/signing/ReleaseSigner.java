package org.ppaforge.archive.signing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;

/**
 * Signs a Release file with every active key of an archive: {@code InRelease} (cleartext
 * signature, one signature per key in one block) and {@code Release.gpg} (detached, ASCII
 * armoured). A client trusting any one of the keys accepts both, which is how a key
 * transition keeps every client working.
 */
public final class ReleaseSigner {
    private final List<PGPSecretKey> keys;
    private final char[] passphrase;

    public ReleaseSigner(List<PGPSecretKey> keys, char[] passphrase) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no signing key");
        }
        this.keys = List.copyOf(keys);
        this.passphrase = passphrase;
    }

    /** The detached signature block ({@code Release.gpg}) over exactly these bytes. */
    public byte[] detached(byte[] data, Date when) {
        return OpenPgp.armorSignatures(sign(PGPSignature.BINARY_DOCUMENT, data, when))
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** One signature of {@code type} over {@code data} per key. */
    private List<PGPSignature> sign(int type, byte[] data, Date when) {
        List<PGPSignature> sigs = new ArrayList<>();
        try {
            for (PGPSecretKey k : keys) {
                PGPSignatureGenerator g = OpenPgp.generator(k, type, passphrase, when);
                g.update(data);
                sigs.add(g.generate());
            }
        } catch (PGPException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
        return sigs;
    }

    /**
     * The cleartext-signed message ({@code InRelease}) for {@code text} (UTF-8, lines ending
     * in LF). The signed form is the canonical text: lines joined by CR LF, trailing blanks
     * removed, no final line break (RFC 4880, 7.1).
     */
    public byte[] clearSigned(String text, Date when) {
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        StringBuilder out = new StringBuilder(body.length() + 2048);
        out.append("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n");
        for (String line : body.split("\n", -1)) {
            out.append(line.startsWith("-") ? "- " : "").append(line).append('\n');
        }
        byte[] signed = OpenPgp.canonicalText(text).getBytes(StandardCharsets.UTF_8);
        out.append(OpenPgp.armorSignatures(sign(PGPSignature.CANONICAL_TEXT_DOCUMENT, signed, when)));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
