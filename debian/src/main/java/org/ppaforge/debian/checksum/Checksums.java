package org.ppaforge.debian.checksum;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A file's size and its MD5, SHA-1 and SHA-256 digests, as lower-case hex. */
public record Checksums(long size, String md5, String sha1, String sha256) {

    /** Reads a stream to its end, computing every digest in one pass. */
    public static Checksums of(InputStream in) throws IOException {
        try (DigestingInputStream d = new DigestingInputStream(in)) {
            d.transferTo(OutputStream.nullOutputStream());
            return d.checksums();
        }
    }

    public static Checksums of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }

    /** The file's SHA-256 alone, as lower-case hex (what a content-addressed store names it by). */
    public static String sha256(Path file) throws IOException {
        java.security.MessageDigest d = sha256Digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return hex(d.digest());
    }

    /** A fresh SHA-256 digest (for bytes counted as they pass); {@link #hex} writes its result. */
    public static java.security.MessageDigest sha256Digest() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A digest as lower-case hex. */
    public static String hex(byte[] digest) {
        return java.util.HexFormat.of().formatHex(digest);
    }

    public static Checksums of(byte[] bytes) {
        try {
            return of(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
