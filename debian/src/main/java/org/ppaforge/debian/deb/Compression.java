package org.ppaforge.debian.deb;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.lzma.LZMACompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/** The compressions a .deb member may use, chosen by the member name's suffix. */
public enum Compression {
    NONE(""),
    GZIP(".gz"),
    XZ(".xz"),
    ZSTD(".zst"),
    BZIP2(".bz2"),
    LZMA(".lzma");

    private final String suffix;

    Compression(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    /** The compression of a member named {@code prefix + suffix}, or {@code null} when the suffix is unknown. */
    public static Compression ofMember(String name, String prefix) {
        if (!name.startsWith(prefix)) {
            return null;
        }
        String rest = name.substring(prefix.length());
        for (Compression c : values()) {
            if (c.suffix.equals(rest)) {
                return c;
            }
        }
        return null;
    }

    /**
     * A member of {@code compressedSize} bytes: large xz members go to the xz tool when it is installed (starting it
     * costs more than a small member's whole decoding), the rest to the Java decoders.
     */
    public InputStream decompress(InputStream in, long compressedSize) throws IOException {
        if (this == XZ && compressedSize >= NativeXz.MIN_SIZE && NativeXz.installed()) {
            return NativeXz.decompress(in);
        }
        return decompress(in);
    }

    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GzipCompressorInputStream(in, true);
            case XZ -> new XZCompressorInputStream(in, true, NativeXz.MEMLIMIT_MIB * 1024);
            case ZSTD -> new ZstdCompressorInputStream(in);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
            case LZMA -> new LZMACompressorInputStream(in, NativeXz.MEMLIMIT_MIB * 1024);
        };
    }
}
