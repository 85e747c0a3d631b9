package org.ppaforge.backup;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.ppaforge.common.ForgeException;

/**
 * What a backup writes of its own (table chunks of JSON lines, snapshots, indexes) is compressed before it is sealed
 * (the JDK's zlib, level 1: JSON shrinks five- to tenfold at a few hundred MB/s, so less is sealed, written and read
 * back). Files are stored as they are: packages are compressed already. A compressed blob starts with zlib's header
 * byte {@code 0x78}; JSON starts with a bracket, so the first version's uncompressed ones still read.
 */
final class Zlib {
    /** No blob of a backup opens to more than this (a table chunk of 4096 rows, a snapshot of a million files). */
    static final int LIMIT = 1 << 30;

    private Zlib() {}

    static byte[] compress(byte[] plain) {
        Deflater d = new Deflater(1);
        try {
            d.setInput(plain);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
            byte[] buf = new byte[1 << 16];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /** The bytes as written: inflated when compressed, else as they are. */
    static byte[] plain(byte[] stored) {
        if (stored.length < 2 || (stored[0] & 0xff) != 0x78 || ((stored[0] & 0xff) << 8 | stored[1] & 0xff) % 31 != 0) {
            return stored;
        }
        Inflater i = new Inflater();
        try {
            i.setInput(stored);
            ByteArrayOutputStream out = new ByteArrayOutputStream(stored.length * 6);
            byte[] buf = new byte[1 << 16];
            while (!i.finished()) {
                int n = i.inflate(buf);
                if (n == 0 && (i.needsInput() || i.needsDictionary())) {
                    throw ForgeException.invalid("a compressed part of the backup is cut short");
                }
                out.write(buf, 0, n);
                if (out.size() > LIMIT) {
                    throw ForgeException.invalid("a compressed part of the backup opens to more than 1 GiB");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw ForgeException.invalid("a compressed part of the backup is damaged: " + e.getMessage());
        } finally {
            i.end();
        }
    }
}
