package org.ppaforge.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ppaforge.common.Names;
import org.ppaforge.qa.rebuild.RebuildResult;
import org.ppaforge.qa.rebuild.RebuildRun;
import org.ppaforge.qa.rebuild.RebuildSet;
import org.ppaforge.qa.rebuild.Rebuilds;
import org.ppaforge.web.view.RebuildsView;

/**
 * Regression rebuilds: the sets, a set's package by run grid coloured by verdict, one result, and the set's Atom feed of
 * regressions. A set is seen by whoever may read both its archives.
 */
final class RebuildPages {
    static final int RUNS = 14;
    private final Web web;

    RebuildPages(Web web) {
        this.web = web;
    }

    void register() {
        web.get("/\\+rebuilds", (c, m) -> sets(c));
        web.get("/\\+rebuilds/(" + Names.SET_RE + ")", (c, m) -> grid(c, m.group(1)));
        web.get("/\\+rebuilds/(" + Names.SET_RE + ")/atom\\.xml", (c, m) -> atom(c, m.group(1)));
        web.get(
                "/\\+rebuilds/(" + Names.SET_RE + ")/(\\d{1,18})/([a-z0-9][a-z0-9.+-]{0,100})",
                (c, m) -> result(c, m.group(1), Long.parseLong(m.group(2)), m.group(3)));
    }

    /** Rebuild sets as this viewer may see them (another's private sets do not exist). */
    private Rebuilds rebuilds(Web.Context c) {
        return web.qa.rebuilds(c.viewer.caller());
    }

    private RebuildSet visible(Web.Context c, String name) {
        return rebuilds(c).get(name);
    }

    private WebResponse sets(Web.Context c) {
        List<RebuildSet> sets = rebuilds(c).list();
        return c.render(
                "rebuilds.jte",
                new RebuildsView(c.page("Rebuilds", "rebuilds"), sets, null, List.of(), Map.of(), null));
    }

    private WebResponse grid(Web.Context c, String name) {
        RebuildSet s = visible(c, name);
        List<RebuildRun> runs = rebuilds(c).runs(name, RUNS);
        Map<String, Map<Long, RebuildResult>> grid = new TreeMap<>();
        s.packages().forEach(p -> grid.put(p, new LinkedHashMap<>()));
        for (RebuildRun r : runs) {
            for (RebuildResult x : r.results()) {
                grid.computeIfAbsent(x.pkg(), k -> new LinkedHashMap<>()).put(r.id(), x);
            }
        }
        return c.render(
                "rebuilds.jte",
                new RebuildsView(c.page("Rebuild set " + name, "rebuilds"), List.of(), s, runs, grid, null));
    }

    private WebResponse result(Web.Context c, String name, long run, String pkg) {
        RebuildSet s = visible(c, name);
        RebuildResult r = rebuilds(c).result(name, run, pkg);
        return c.render(
                "rebuilds.jte",
                new RebuildsView(
                        c.page(pkg + " in run " + run + " of " + name, "rebuilds"),
                        List.of(),
                        s,
                        List.of(),
                        Map.of(),
                        r));
    }

    private WebResponse atom(Web.Context c, String name) {
        visible(c, name);
        return new WebResponse(
                200,
                "application/atom+xml; charset=utf-8",
                rebuilds(c)
                        .atom(name, c.request.base() + "/+rebuilds/" + name + "/atom.xml")
                        .getBytes(StandardCharsets.UTF_8),
                new LinkedHashMap<>());
    }
}
