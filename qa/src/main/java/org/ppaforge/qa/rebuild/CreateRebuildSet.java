package org.ppaforge.qa.rebuild;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.common.ForgeException;
import org.ppaforge.common.Names;
import org.ppaforge.pipeline.Triggers;
import org.ppaforge.qa.store.RebuildStore;

/**
 * Makes a rebuild set (admins only): its name, archives, series, packages, schedule, webhook and, for an apt
 * repository as its source, the key that repository signs with are checked; nothing is built yet.
 */
final class CreateRebuildSet {
    private final Ppaforge ppa;
    private final RebuildStore store;
    private final Caller caller;

    CreateRebuildSet(Ppaforge ppa, RebuildStore store, Caller caller) {
        this.ppa = ppa;
        this.store = store;
        this.caller = caller;
    }

    RebuildSet call(RebuildSetRequest r) {
        caller.admin(ppa);
        String name = r.name();
        String from = r.from();
        String fromSeries = r.fromSeries();
        List<String> packages = r.packages();
        String into = r.into();
        String series = r.series();
        String schedule = r.schedule();
        String webhook = r.webhook();
        String fromKey = r.fromKey();
        if (webhook != null && !webhook.matches("https?://[^\\s]{1,500}")) {
            throw ForgeException.invalid("--webhook is an http:// or https:// URL, not '" + webhook + "'");
        }
        if (schedule != null && !schedule.equals("daily")) {
            try {
                Triggers.checkCron(schedule);
            } catch (IllegalArgumentException e) {
                throw ForgeException.invalid("--schedule is daily or a cron expression: " + e.getMessage());
            }
        }
        if (!Names.is(Names.SET, name)) {
            throw ForgeException.invalid(
                    "invalid rebuild set name '" + name + "': lower-case letters, digits, '.' and '-'");
        }
        if (store.set(name).isPresent()) {
            throw ForgeException.refused("a rebuild set named '" + name + "' exists");
        }
        if (packages == null || packages.isEmpty() || packages.stream().anyMatch(p -> !Names.is(Names.PACKAGE, p))) {
            throw ForgeException.invalid("give the source packages to rebuild: --packages p1,p2 (Debian source names)");
        }
        Archive b = archive(into);
        String s = series == null ? b.series().get(0) : series;
        if (!b.hasSeries(s)) {
            throw ForgeException.notFound("no series " + s + " in " + b.name());
        }
        String source;
        String fs;
        if (from != null && AptSource.Spec.is(from)) {
            AptSource.Spec spec;
            try {
                spec = AptSource.Spec.parse(from);
            } catch (IllegalArgumentException e) {
                throw ForgeException.invalid(e.getMessage());
            }
            if (fromKey == null || fromKey.isBlank()) {
                throw ForgeException.invalid(
                        "an apt repository needs the key its InRelease is signed with (--from-key FILE)");
            }
            try {
                OpenPgp.readPublicRings(fromKey.getBytes(StandardCharsets.US_ASCII), "the key of " + spec.url());
            } catch (RuntimeException e) {
                throw ForgeException.invalid("--from-key: " + e.getMessage());
            }
            source = "deb-src " + spec.url() + " " + spec.suite() + " " + spec.component();
            fs = spec.suite();
        } else {
            Archive a = archive(from);
            if (a.name().equals(b.name())) {
                throw ForgeException.invalid("rebuilds go to another archive than the one their sources come from");
            }
            fs = fromSeries == null ? a.series().get(0) : fromSeries;
            if (!a.hasSeries(fs)) {
                throw ForgeException.notFound("no series " + fs + " in " + a.name());
            }
            source = a.name();
            fromKey = null;
        }
        RebuildSet set = new RebuildSet(
                name,
                source,
                fs,
                List.copyOf(packages),
                b.name(),
                s,
                schedule,
                webhook,
                ppa.clock().instant(),
                fromKey);
        store.insertSet(set);
        return set;
    }

    private Archive archive(String name) {
        return ppa.listArchives().name(name).counts(false).call().get(0).archive();
    }
}
