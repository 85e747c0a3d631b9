package org.ppaforge.backup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Encryption with authentication of every object a backup writes, as a stream of chunks (AES-256-GCM, Bouncy Castle),
 * so that a file of any size goes in and out with one chunk in memory. An object is {@code PFB1}, an 8-byte random
 * prefix, then chunks of at most {@value #CHUNK} bytes each sealed with the nonce prefix + its index, and with the
 * object's kind, its index and whether it is the last one as associated data: a chunk moved, dropped, cut off at the
 * end or taken from another object fails to open.
 */
final class Sealing {
    static final int CHUNK = 1 << 20;
    private static final byte[] MAGIC = {'P', 'F', 'B', '1'};
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    Sealing(byte[] key) {
        this.key = key.clone();
    }

    /** The object is damaged, was sealed with another key, or is not an object of a backup. */
    static final class Damaged extends IOException {
        Damaged(String message) {
            super(message);
        }
    }

    /** Seals {@code in} into {@code out}; {@code kind} ("data", "snapshot", ...) is bound to every chunk. */
    void seal(InputStream in, OutputStream out, String kind) throws IOException {
        byte[] prefix = new byte[8];
        RANDOM.nextBytes(prefix);
        out.write(MAGIC);
        out.write(prefix);
        byte[] buf = in.readNBytes(CHUNK);
        int index = 0;
        while (true) {
            byte[] next = in.readNBytes(CHUNK);
            boolean last = next.length == 0;
            out.write(run(true, prefix, index++, last, kind, buf, buf.length));
            if (last) {
                return;
            }
            buf = next;
        }
    }

    byte[] seal(byte[] plain, String kind) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length + 64);
        seal(new ByteArrayInputStream(plain), out, kind);
        return out.toByteArray();
    }

    /** Opens what {@link #seal} wrote into {@code out}; a damaged or foreign object throws {@link Damaged}. */
    void open(InputStream in, OutputStream out, String kind) throws IOException {
        byte[] head = in.readNBytes(12);
        if (head.length != 12 || !Arrays.equals(Arrays.copyOf(head, 4), MAGIC)) {
            throw new Damaged("not an object of a ppaforge backup");
        }
        byte[] prefix = Arrays.copyOfRange(head, 4, 12);
        int sealed = CHUNK + TAG_BITS / 8;
        byte[] buf = in.readNBytes(sealed);
        int index = 0;
        while (true) {
            byte[] next = buf.length == sealed ? in.readNBytes(sealed) : new byte[0];
            boolean last = next.length == 0;
            if (buf.length < TAG_BITS / 8) {
                throw new Damaged("an object ends in the middle of a chunk");
            }
            out.write(run(false, prefix, index++, last, kind, buf, buf.length));
            if (last) {
                return;
            }
            buf = next;
        }
    }

    byte[] open(byte[] sealed, String kind) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(0, sealed.length - 28));
        open(new ByteArrayInputStream(sealed), out, kind);
        return out.toByteArray();
    }

    private byte[] run(boolean encrypt, byte[] prefix, int index, boolean last, String kind, byte[] data, int length)
            throws IOException {
        byte[] nonce = Arrays.copyOf(prefix, 12);
        nonce[8] = (byte) (index >>> 24);
        nonce[9] = (byte) (index >>> 16);
        nonce[10] = (byte) (index >>> 8);
        nonce[11] = (byte) index;
        byte[] aad = (kind + "/" + index + "/" + (last ? "last" : "more")).getBytes(StandardCharsets.US_ASCII);
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce, aad));
        byte[] out = new byte[gcm.getOutputSize(length)];
        int n = gcm.processBytes(data, 0, length, out, 0);
        try {
            n += gcm.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new Damaged("an object does not open: damaged, cut short, or sealed with another key");
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
