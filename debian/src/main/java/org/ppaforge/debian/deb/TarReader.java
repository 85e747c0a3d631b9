package org.ppaforge.debian.deb;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads tar headers (POSIX ustar, GNU long names and links, pax path/linkpath/size) and
 * skips or returns entry contents, reusing one buffer. A purpose-built reader: listing a
 * small .deb with Commons Compress's tar stream allocated ~300 KB per package (fresh skip
 * buffers per entry) and made bulk includes CPU-bound; this one allocates almost nothing.
 */
final class TarReader {
    record Entry(String name, char type, long size, int mode, String linkName) {
        boolean isDirectory() {
            return type == '5' || (type == '0' || type == 0) && name.endsWith("/");
        }

        boolean isSymbolicLink() {
            return type == '2';
        }

        boolean isHardLink() {
            return type == '1';
        }

        boolean isFile() {
            return (type == '0' || type == 0 || type == '7') && !name.endsWith("/");
        }
    }

    private final InputStream in;
    private final byte[] header = new byte[512];
    private final byte[] scratch;
    private long remaining;
    private long padding;

    TarReader(InputStream in, byte[] scratch) {
        this.in = in;
        this.scratch = scratch;
    }

    /** The next entry, or null at the end of the archive. */
    Entry next() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        String longName = null;
        String longLink = null;
        long paxSize = -1;
        while (true) {
            if (!readHeader()) {
                return null;
            }
            char type = (char) (header[156] & 0xff);
            long size = number(124, 12);
            if (type == 'L' || type == 'K' || type == 'x') {
                if ((type == 'L' || type == 'K') && size > UnpackLimits.MAX_PATH + 1) {
                    throw new IOException("a GNU long " + (type == 'L' ? "name" : "link") + " of " + size
                            + " bytes; at most " + UnpackLimits.MAX_PATH + " (PATH_MAX)");
                }
                byte[] data = content(size);
                if (type == 'L') {
                    longName = cString(data, 0, data.length);
                } else if (type == 'K') {
                    longLink = cString(data, 0, data.length);
                } else {
                    String[] pax = pax(data);
                    if (pax[0] != null) {
                        longName = pax[0];
                    }
                    if (pax[1] != null) {
                        longLink = pax[1];
                    }
                    if (pax[2] != null) {
                        paxSize = Long.parseLong(pax[2]);
                    }
                }
                continue;
            }
            if (type == 'g') {
                skip(round(size));
                continue;
            }
            String name = longName != null ? longName : name();
            String link = longLink != null ? longLink : cString(header, 157, 100);
            if (paxSize >= 0) {
                size = paxSize;
            }
            boolean hasData = type != '1' && type != '2' && type != '3' && type != '4' && type != '5' && type != '6';
            remaining = hasData ? size : 0;
            padding = hasData ? round(size) - size : 0;
            return new Entry(name, type, size, (int) number(100, 8), link.isEmpty() ? null : link);
        }
    }

    /** The current entry's content (call before the next {@link #next()}). */
    byte[] readContent() throws IOException {
        if (remaining > Integer.MAX_VALUE - 8) {
            throw new IOException("tar entry too large to read into memory");
        }
        byte[] data = in.readNBytes((int) remaining);
        if (data.length != remaining) {
            throw new EOFException("tar entry truncated");
        }
        remaining = 0;
        return data;
    }

    private byte[] content(long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar extended header of " + size + " bytes is too large");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) {
            throw new EOFException("tar extended header truncated");
        }
        skip(round(size) - size);
        return data;
    }

    private boolean readHeader() throws IOException {
        int n = in.readNBytes(header, 0, 512);
        if (n == 0) {
            return false; // no end-of-archive blocks: tolerated, as GNU tar does
        }
        if (n < 512) {
            throw new EOFException("tar header truncated");
        }
        boolean zero = true;
        for (byte b : header) {
            if (b != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            return false;
        }
        long stored = number(148, 8);
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
        }
        if (sum != stored) {
            throw new IOException("tar header checksum mismatch (corrupt archive)");
        }
        return true;
    }

    private String name() {
        String name = cString(header, 0, 100);
        boolean posix = header[257] == 'u' && header[262] == 0; // "ustar\0": the prefix field is a path prefix
        if (posix && header[345] != 0) {
            return cString(header, 345, 155) + "/" + name;
        }
        return name;
    }

    private long number(int offset, int length) throws IOException {
        if ((header[offset] & 0x80) != 0) { // GNU base-256
            long v = header[offset] & 0x7f;
            for (int i = 1; i < length; i++) {
                v = (v << 8) | (header[offset + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        boolean digits = false;
        for (int i = offset; i < offset + length; i++) {
            byte b = header[i];
            if (b == 0 || (b == ' ' && digits)) {
                break;
            }
            if (b == ' ') {
                continue;
            }
            if (b < '0' || b > '7') {
                throw new IOException("malformed number in tar header");
            }
            v = v * 8 + (b - '0');
            digits = true;
        }
        return v;
    }

    private static String cString(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String[] pax(byte[] data) throws IOException {
        String[] out = new String[3];
        int i = 0;
        while (i < data.length) {
            int space = i;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int len;
            try {
                len = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IOException("malformed pax header");
            }
            if (len <= 0 || i + len > data.length) {
                throw new IOException("malformed pax header");
            }
            String record = new String(data, space + 1, i + len - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq > 0) {
                switch (record.substring(0, eq)) {
                    case "path" -> out[0] = record.substring(eq + 1);
                    case "linkpath" -> out[1] = record.substring(eq + 1);
                    case "size" -> out[2] = record.substring(eq + 1);
                    default -> {}
                }
            }
            i += len;
        }
        return out;
    }

    private static long round(long size) {
        return (size + 511) & ~511L;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            int r = in.read(scratch, 0, (int) Math.min(scratch.length, n));
            if (r < 0) {
                throw new EOFException("tar entry truncated");
            }
            n -= r;
        }
    }
}
