package org.ppaforge.qa.rebuild;

import java.time.Instant;
import java.util.List;

/**
 * A set of packages rebuilt again and again (daily, say) with their build-time tests and autopkgtests, so a change in
 * what they are built against shows the next morning.
 *
 * @param from the ppaforge archive (and series) the sources come from, or an apt repository {@code deb-src URL SUITE COMPONENT}
 * @param fromKey for an apt repository: the armoured OpenPGP key its InRelease must be signed with
 * @param into the archive the rebuilds go to (its series: {@code series}), built there by the build farm
 * @param schedule {@code daily}, a cron expression (UTC), or null: by hand only
 * @param webhook a URL each run's regressions and changes are POSTed to as JSON (retried), or null
 */
public record RebuildSet(
        String name,
        String from,
        String fromSeries,
        List<String> packages,
        String into,
        String series,
        String schedule,
        String webhook,
        Instant createdAt,
        String fromKey) {
    /** Whether the sources come from an apt repository (not a ppaforge archive). */
    public boolean fromApt() {
        return AptSource.Spec.is(from);
    }

    /**
     * Where the sources come from, as people write it: {@code deb-src http://deb.debian.org/debian bookworm main} for an
     * apt repository, {@code ARCHIVE/SERIES} for a ppaforge archive.
     */
    public String sourceLabel() {
        if (!fromApt()) {
            return from + "/" + fromSeries;
        }
        try {
            AptSource.Spec spec = AptSource.Spec.parse(from);
            return "deb-src " + spec.url() + " " + spec.suite() + " " + spec.component();
        } catch (IllegalArgumentException e) {
            return from;
        }
    }

    /** The ppaforge archives it reads and writes: who may read them all may see the set. */
    public List<String> archives() {
        return fromApt() ? List.of(into) : List.of(from, into);
    }
}
