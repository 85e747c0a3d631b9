package org.ppaforge.debian.checksum;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Passes bytes through while counting them and feeding MD5, SHA-1 and SHA-256 (the digests indices publish and
 * uploads are checked by), so a file's checksums come from the same single read that parses it. SHA-512 is not
 * computed: no index publishes it, and it cost a quarter of the digest time of a large include.
 */
public final class DigestingInputStream extends FilterInputStream {
    // Cloning a prototype is much cheaper than a provider look-up per stream.
    private static final MessageDigest MD5 = digest("MD5");
    private static final MessageDigest SHA1 = digest("SHA-1");
    private static final MessageDigest SHA256 = digest("SHA-256");
    private final MessageDigest md5 = copy(MD5);
    private final MessageDigest sha1 = copy(SHA1);
    private final MessageDigest sha256 = copy(SHA256);
    private long count;

    public DigestingInputStream(InputStream in) {
        super(in);
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is missing from this Java runtime", e);
        }
    }

    private static MessageDigest copy(MessageDigest prototype) {
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return digest(prototype.getAlgorithm());
        }
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            update(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void update(byte[] b, int off, int n) {
        md5.update(b, off, n);
        sha1.update(b, off, n);
        sha256.update(b, off, n);
        count += n;
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    /** The checksums of everything read so far; call once, after the last read. */
    public Checksums checksums() {
        HexFormat hex = HexFormat.of();
        return new Checksums(
                count, hex.formatHex(md5.digest()), hex.formatHex(sha1.digest()), hex.formatHex(sha256.digest()));
    }
}
