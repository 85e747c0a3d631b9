package org.ppaforge.common;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The one way pages and command-line tables show an instant: {@code 2026-12-03 07:48 UTC}, how long ago it was ({@code 3 min ago}), and the
 * exact instant (ISO-8601) on hover; see the {@code when} template.
 */
public final class Times {
    private static final DateTimeFormatter SHOWN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Times() {}

    /** {@code 2026-12-03 07:48 UTC}. */
    public static String shown(Instant at) {
        return SHOWN.format(at);
    }

    /** The exact instant to the second, for the hover title: {@code 2026-12-03 07:48:02 UTC}. */
    public static String exact(Instant at) {
        return EXACT.format(at);
    }

    /** The instant in ISO-8601 for {@code <time datetime>}, to the second. */
    public static String iso(Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** How long ago, roughly: {@code just now}, {@code 3 min ago}, {@code 5 h ago}, {@code 12 days ago}, {@code in 2 min}. */
    public static String ago(Instant at, Instant now) {
        long s = Duration.between(at, now).getSeconds();
        boolean future = s < 0;
        s = Math.abs(s);
        String amount;
        if (s < 60) {
            return future ? "in under a minute" : "just now";
        } else if (s < 3600) {
            amount = s / 60 + " min";
        } else if (s < 48 * 3600) {
            amount = s / 3600 + " h";
        } else {
            amount = s / 86400 + " days";
        }
        return future ? "in " + amount : amount + " ago";
    }

    public static String ago(Instant at) {
        return ago(at, Instant.now());
    }

    /** A span in words: {@code 42 s}, {@code 3 min 5 s}, {@code 2 h 10 min}. */
    public static String span(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + " s";
        } else if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
}
