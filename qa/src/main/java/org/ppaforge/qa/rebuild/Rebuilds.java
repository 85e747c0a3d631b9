package org.ppaforge.qa.rebuild;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.common.ForgeException;
import org.ppaforge.common.Names;
import org.ppaforge.farm.Builds;
import org.ppaforge.pipeline.Triggers;
import org.ppaforge.qa.store.RebuildStore;

/**
 * Regression rebuilds: sets of packages from one archive rebuilt into another with their tests, run by hand (or by a
 * schedule, later), each package judged against its history. Its verbs: create, list, run, runs.
 */
public final class Rebuilds {
    private final Ppaforge ppa;
    private final Builds builds;
    private final RebuildStore store;

    private final Caller caller;

    /**
     * @param caller who asks: a set is visible to whoever may read both its archives (missing to others, in the same
     *     words), made by an admin, and run by whoever may write the archive it rebuilds into
     */
    public Rebuilds(Ppaforge ppa, Builds builds, RebuildStore store, Caller caller) {
        this.ppa = ppa;
        this.builds = builds;
        this.store = store;
        this.caller = caller;
    }

    private boolean visible(RebuildSet s) {
        return s.archives().stream().allMatch(a -> caller.mayRead(ppa, a));
    }

    /** Makes a rebuild set: names, archives, series, packages and schedule checked; nothing is built yet. */
    public RebuildSet create(RebuildSetRequest r) {
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

    /** The sets the caller may see. */
    public List<RebuildSet> list() {
        return store.sets().stream().filter(this::visible).toList();
    }

    public RebuildSet get(String name) {
        return store.set(name)
                .filter(this::visible)
                .orElseThrow(() -> ForgeException.notFound("there is no rebuild set '" + name + "'"));
    }

    /** Asks the server to run the set (it runs due and asked-for sets one at a time); returns the set. */
    public RebuildSet request(String name, boolean force) {
        RebuildSet s = get(name);
        caller.write(ppa, s.into());
        store.request(name, force);
        return s;
    }

    /** Runs a due set the way the server does: a request's force is honoured, and the request is taken. */
    public RebuildRun runDue(String name) throws InterruptedException {
        String r = store.takeRequest(name);
        return run(name, "force".equals(r));
    }

    /** Runs the set now, package after package (minutes to hours: each is a real build and real tests). */
    public RebuildRun run(String name, boolean force) throws InterruptedException {
        if (builds == null) {
            throw ForgeException.invalid("rebuilds need the build farm");
        }
        return new RebuildRunner(ppa, builds, store, ppa.workDirectory()).run(get(name), force);
    }

    /**
     * The sets whose schedule is due at {@code now}: {@code daily} when no run started today (UTC), a cron expression when
     * one of its minutes passed since the last run started (a set that never ran: since it was made).
     */
    public List<RebuildSet> due(Instant now) {
        List<RebuildSet> out = new ArrayList<>();
        for (RebuildSet s : store.sets()) {
            if (store.requested(s.name())) {
                out.add(s);
                continue;
            }
            if (s.schedule() == null) {
                continue;
            }
            List<RebuildRun> last = store.runs(s.name(), 1);
            Instant since = last.isEmpty() ? s.createdAt() : last.get(0).startedAt();
            boolean due = s.schedule().equals("daily")
                    ? last.isEmpty()
                            || !since.atZone(ZoneOffset.UTC)
                                    .toLocalDate()
                                    .equals(now.atZone(ZoneOffset.UTC).toLocalDate())
                    : Triggers.cronDue(
                            s.schedule(),
                            since.atZone(ZoneOffset.UTC)
                                    .withSecond(0)
                                    .withNano(0)
                                    .toLocalDateTime()
                                    .toString()
                                    .substring(0, 16),
                            now);
            if (due) {
                out.add(s);
            }
        }
        return out;
    }

    /** An Atom feed of the set's regressions over its newest 50 runs, newest first. */
    public String atom(String name, String selfUrl) {
        RebuildSet set = get(name);
        StringBuilder entries = new StringBuilder();
        Instant updated = set.createdAt();
        for (RebuildRun r : store.runs(name, 50)) {
            for (RebuildResult x : r.results()) {
                if (!x.verdict().endsWith("regression")) {
                    continue;
                }
                if (x.at().isAfter(updated)) {
                    updated = x.at();
                }
                entries.append("<entry><id>urn:ppaforge:rebuild:")
                        .append(xml(name))
                        .append(':')
                        .append(r.id())
                        .append(':')
                        .append(xml(x.pkg()))
                        .append("</id><title>")
                        .append(xml(x.pkg() + " " + x.rebuiltVersion() + ": " + x.verdict()))
                        .append("</title><updated>")
                        .append(x.at())
                        .append("</updated><summary>")
                        .append(xml((x.lastGoodVersion() == null
                                        ? ""
                                        : "last good: " + x.lastGoodVersion() + " (" + x.lastGoodAt() + "). ")
                                + (x.message() == null ? "" : x.message())))
                        .append("</summary></entry>\n");
            }
        }
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>urn:ppaforge:rebuild:"
                + xml(name) + "</id><title>" + xml("Regressions of rebuild set " + name) + "</title><updated>" + updated
                + "</updated><link rel=\"self\" href=\"" + xml(selfUrl) + "\"/>\n" + entries + "</feed>\n";
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    public List<RebuildRun> runs(String name, int limit) {
        get(name);
        return store.runs(name, limit);
    }

    /** One package's result in one run of the set. */
    public RebuildResult result(String name, long run, String pkg) {
        get(name);
        return store.history(name, pkg).stream()
                .filter(r -> r.run() == run)
                .findFirst()
                .orElseThrow(() -> ForgeException.notFound("run " + run + " of " + name + " has no result for " + pkg));
    }

    /** The results of the set's newest run, or of its newest run started on {@code date} (UTC). */
    public RebuildRun results(String name, LocalDate date) {
        List<RebuildRun> runs = runs(name, date == null ? 1 : 1000);
        return runs.stream()
                .filter(r -> date == null
                        || r.startedAt().atZone(ZoneOffset.UTC).toLocalDate().equals(date))
                .findFirst()
                .orElseThrow(() -> ForgeException.notFound("rebuild set " + name + " has no run"
                        + (date == null ? " yet: 'ppa rebuild run " + name + "'" : " started on " + date)));
    }
}
