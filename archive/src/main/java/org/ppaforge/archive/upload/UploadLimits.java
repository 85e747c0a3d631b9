package org.ppaforge.archive.upload;

import java.util.Locale;

/**
 * How much an upload may bring: per file, and in all (the files waiting in an archive's
 * incoming queue together with the one arriving). Past either, the upload is refused as too large.
 */
public record UploadLimits(long maxFileBytes, long maxUploadBytes) {
    /** 1 GiB per file, 2 GiB per upload. */
    public static final UploadLimits DEFAULT = new UploadLimits(1L << 30, 2L << 30);

    public UploadLimits {
        if (maxFileBytes <= 0 || maxUploadBytes <= 0) {
            throw new IllegalArgumentException("upload limits must be positive");
        }
    }

    /** A size as people write it: bytes, or with K, M, G (powers of 1024), e.g. {@code 512M}. */
    public static long parseSize(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT).replaceFirst("I?B$", "");
        long unit = 1;
        if (!t.isEmpty() && "KMG".indexOf(t.charAt(t.length() - 1)) >= 0) {
            unit = 1L << (10 * ("KMG".indexOf(t.charAt(t.length() - 1)) + 1));
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t.strip());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size (e.g. 500M, 2G, 1048576)");
        }
    }

    /** A size for messages: {@code 512 MiB}, {@code 1.5 GiB}, {@code 900 bytes}. */
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v)) + " " + units[u];
    }
}
