package org.ppaforge.qa.rebuild;

import java.util.List;

/**
 * What a new rebuild set is made of (the API's JSON body has the same names).
 *
 * @param from the archive the sources come from, or an apt repository ({@code deb-src URL SUITE COMPONENT} style)
 * @param fromSeries the series of {@code from} (null: its first)
 * @param packages the source packages to rebuild
 * @param into the archive the rebuilds go to
 * @param series the series of {@code into} (null: its first)
 * @param schedule {@code daily}, a cron expression, or null (by hand only)
 * @param webhook where a run's regressions are posted, or null
 * @param fromKey for an apt repository {@code from}: the armoured key its InRelease is signed with (required then)
 */
public record RebuildSetRequest(
        String name,
        String from,
        String fromSeries,
        List<String> packages,
        String into,
        String series,
        String schedule,
        String webhook,
        String fromKey) {
    /** A set rebuilding {@code packages} of {@code from} into {@code into}, by hand, first series of each. */
    public static RebuildSetRequest of(String name, String from, List<String> packages, String into) {
        return new RebuildSetRequest(name, from, null, packages, into, null, null, null, null);
    }

    public RebuildSetRequest withSchedule(String s) {
        return new RebuildSetRequest(name, from, fromSeries, packages, into, series, s, webhook, fromKey);
    }

    public RebuildSetRequest withWebhook(String url) {
        return new RebuildSetRequest(name, from, fromSeries, packages, into, series, schedule, url, fromKey);
    }
}
