package org.ppaforge.qa.rebuild;

import java.time.Instant;
import java.util.List;

/** A rebuild set's regressions as an Atom feed, for feed readers and chat bots. */
final class RegressionFeed {
    /** How many of the newest runs the feed covers. */
    static final int RUNS = 50;

    private RegressionFeed() {}

    /** An Atom feed of the set's regressions over its newest 50 runs, newest first. */
    static String atom(RebuildSet set, List<RebuildRun> newest, String selfUrl) {
        String name = set.name();
        StringBuilder entries = new StringBuilder();
        Instant updated = set.createdAt();
        for (RebuildRun r : newest) {
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
                                        : "last good: " + x.lastGoodVersion() + " ("
                                                + org.ppaforge.common.Times.shown(x.lastGoodAt()) + "). ")
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
}
