package org.ppaforge.qa.rebuild;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.common.ForgeException;
import org.ppaforge.farm.Builds;
import org.ppaforge.qa.store.RebuildStore;

/**
 * Regression rebuilds, as one caller sees them: sets of packages from one archive rebuilt into another with their
 * tests, run by hand or on a schedule, each package judged against its history. The entry point of its verbs: making a
 * set ({@link CreateRebuildSet}), asking for and running a run ({@link RebuildRunner}), the due sets
 * ({@link RebuildSchedule}), the regression feed ({@link RegressionFeed}) and the reads.
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
        return new CreateRebuildSet(ppa, store, caller).call(r);
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
        return run(name, force, line -> {});
    }

    /** The same, telling {@code progress} each package's steps as they happen (a line each). */
    public RebuildRun run(String name, boolean force, Consumer<String> progress) throws InterruptedException {
        if (builds == null) {
            throw ForgeException.invalid("rebuilds need the build farm");
        }
        return new RebuildRunner(ppa, builds, store, ppa.workDirectory(), progress).run(get(name), force);
    }

    /**
     * The sets whose schedule is due at {@code now}: {@code daily} when no run started today (UTC), a cron expression when
     * one of its minutes passed since the last run started (a set that never ran: since it was made); and the sets asked
     * for.
     */
    public List<RebuildSet> due(Instant now) {
        return RebuildSchedule.due(store, now);
    }

    /** An Atom feed of the set's regressions over its newest 50 runs, newest first. */
    public String atom(String name, String selfUrl) {
        RebuildSet set = get(name);
        return RegressionFeed.atom(set, store.runs(name, RegressionFeed.RUNS), selfUrl);
    }

    /** Forgets runs beyond each set's newest ones (retention; the operator's, as gc is). */
    public ExpireRebuildRuns expireRuns() {
        caller.admin(ppa);
        return new ExpireRebuildRuns(store);
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

    /** A backport from an apt repository into an archive ({@code ppa backport}), as this caller may make it. */
    public CreateBackport backport() {
        return new CreateBackport(ppa, builds, caller);
    }
}
