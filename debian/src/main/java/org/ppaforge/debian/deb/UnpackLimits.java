package org.ppaforge.debian.deb;

/**
 * How much a .deb may unpack to while it is read: a bound on the data member's uncompressed bytes (absolute, and
 * relative to its compressed size once past a floor: a decompression bomb is stopped after a few hundred MB instead of
 * 10 GB and 40 s of CPU), and on its number of entries. Past either, reading stops with a {@code FormatException}
 * naming the limit.
 *
 * @param maxBytes the most a data member may unpack to
 * @param maxRatio past {@code ratioFloor} bytes, the most a data member may unpack to per compressed byte
 * @param ratioFloor unpacked bytes always allowed, whatever the ratio
 * @param maxEntries the most files, directories and links a data member may hold
 */
public record UnpackLimits(long maxBytes, long maxRatio, long ratioFloor, int maxEntries) {
    /**
     * 16 GiB, at most 200 times the compressed size past 256 MiB, a million entries: far above what real packages do
     * (texlive's largest holds about 100,000 files; a 200x ratio over 256 MiB would be a package under 1.3 MB).
     */
    public static final UnpackLimits DEFAULT = new UnpackLimits(16L << 30, 200, 256L << 20, 1_000_000);

    /**
     * The largest control file accepted: apt fails on the whole index ("Unable to parse package file", "The package
     * cache file is corrupted") once a stanza reaches about 2 MB (checked with apt 2.6), so one upload could break an
     * archive for every client; real control files are a few KB.
     */
    public static final int MAX_CONTROL_FILE = 256 * 1024;

    /** The longest path (or link target) a data member may hold: Linux's PATH_MAX; dpkg could not unpack a longer one. */
    public static final int MAX_PATH = 4096;

    /**
     * The most path bytes (names and link targets) one data member may hold in all: 32 MiB, about three times what the
     * largest real packages need (texlive-fonts-extra: about 100,000 paths), so one .deb cannot make Contents rendering
     * run out of memory for its archive.
     */
    public static final long MAX_PATH_BYTES = 32L << 20;

    public UnpackLimits {
        if (maxBytes <= 0 || maxRatio <= 0 || ratioFloor < 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("unpack limits must be positive");
        }
    }

    /** The same limits with {@code maxBytes} as the absolute bound. */
    public UnpackLimits withMaxBytes(long bytes) {
        return new UnpackLimits(bytes, maxRatio, ratioFloor, maxEntries);
    }

    /** The same limits with {@code ratio} as the most unpacked bytes per compressed byte. */
    public UnpackLimits withRatio(long ratio) {
        return new UnpackLimits(maxBytes, ratio, ratioFloor, maxEntries);
    }

    /** What a member of {@code compressed} bytes may unpack to. */
    long allowed(long compressed) {
        long byRatio = compressed > Long.MAX_VALUE / maxRatio ? Long.MAX_VALUE : compressed * maxRatio;
        return Math.min(maxBytes, Math.max(ratioFloor, byRatio));
    }
}
