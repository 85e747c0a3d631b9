package org.ppaforge.backup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption with authentication of every object a backup writes, as a stream of chunks, so that a file of any size
 * goes in and out with one chunk in memory. An object is a 4-byte magic, an 8-byte random prefix, then chunks of at most
 * {@value #CHUNK} bytes each sealed with the nonce prefix + its index, and with the object's kind, its index and
 * whether it is the last one as associated data: a chunk moved, dropped, cut off at the end or taken from another
 * object fails to open.
 *
 * <p>{@code PFB2} objects are sealed with ChaCha20-Poly1305, {@code PFB1} objects (written by the first version) with
 * AES-256-GCM; both open, only the first is written. Both AEADs are the JDK's: on this project's machines neither the
 * JDK's nor Bouncy Castle's AES-GCM ran faster than 50 MB/s (the JVM does not use the processor's carry-less multiply
 * for GCM here), so sealing took most of a first backup and of a restore; ChaCha20-Poly1305, which needs no special
 * instructions, runs at 180 MB/s (Bouncy Castle's at 110 MB/s). One instance seals or opens one object at a time.
 */
final class Sealing {
    static final int CHUNK = 1 << 20;
    private static final byte[] MAGIC_GCM = {'P', 'F', 'B', '1'};
    private static final byte[] MAGIC = {'P', 'F', 'B', '2'};
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private Cipher chacha;
    private Cipher gcm;

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
            out.write(run(true, false, prefix, index++, last, kind, buf, buf.length));
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
        byte[] magic = Arrays.copyOf(head, 4);
        boolean gcmObject = Arrays.equals(magic, MAGIC_GCM);
        if (head.length != 12 || !(gcmObject || Arrays.equals(magic, MAGIC))) {
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
            out.write(run(false, gcmObject, prefix, index++, last, kind, buf, buf.length));
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

    private byte[] run(
            boolean encrypt,
            boolean aesGcm,
            byte[] prefix,
            int index,
            boolean last,
            String kind,
            byte[] data,
            int length)
            throws IOException {
        byte[] nonce = Arrays.copyOf(prefix, 12);
        nonce[8] = (byte) (index >>> 24);
        nonce[9] = (byte) (index >>> 16);
        nonce[10] = (byte) (index >>> 8);
        nonce[11] = (byte) index;
        byte[] aad = (kind + "/" + index + "/" + (last ? "last" : "more")).getBytes(StandardCharsets.US_ASCII);
        int mode = encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        try {
            Cipher c;
            if (aesGcm) {
                c = gcm != null ? gcm : (gcm = Cipher.getInstance("AES/GCM/NoPadding"));
                c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            } else {
                c = chacha != null ? chacha : (chacha = Cipher.getInstance("ChaCha20-Poly1305"));
                c.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            }
            c.updateAAD(aad);
            return c.doFinal(data, 0, length);
        } catch (AEADBadTagException e) {
            throw new Damaged("an object does not open: damaged, cut short, or sealed with another key");
        } catch (GeneralSecurityException e) {
            throw new Damaged("an object does not open: " + e.getMessage());
        }
    }
}
