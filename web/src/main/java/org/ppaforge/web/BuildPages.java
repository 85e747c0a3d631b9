package org.ppaforge.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import org.ppaforge.common.ForgeException;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildLogs;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.Builds;
import org.ppaforge.web.view.BuildView;
import org.ppaforge.web.view.BuildsView;

/**
 * The build queue, a build with its log (followed live by a small script that asks {@code /+builds/ID/log?offset=N}),
 * retry and cancel. Builds of archives the viewer may not read are not there.
 */
final class BuildPages {
    private final Web web;

    BuildPages(Web web) {
        this.web = web;
    }

    void register() {
        web.get("/\\+builds", this::list);
        web.get("/\\+builds/(\\d{1,18})", this::show);
        web.get("/\\+builds/(\\d{1,18})/log", this::log);
        web.post("/\\+builds/(\\d{1,18})/retry", (c, m) -> act(c, m, true));
        web.post("/\\+builds/(\\d{1,18})/cancel", (c, m) -> act(c, m, false));
    }

    private Builds builds() {
        return web.builds;
    }

    private WebResponse list(Web.Context c, Matcher m) {
        String state = c.request.param("state");
        BuildState s = state == null || state.isBlank() ? null : BuildState.parse(state);
        List<Build> bs =
                builds().list().caller(c.viewer.caller()).state(s).limit(200).call();
        return c.render(
                "builds.jte",
                new BuildsView(
                        c.page("Builds", "builds"),
                        s == null ? null : s.label(),
                        Arrays.stream(BuildState.values())
                                .map(BuildState::label)
                                .toList(),
                        bs));
    }

    /** The build, when the viewer may read its archive; otherwise it does not exist. */
    private Build readable(Web.Context c, Matcher m) {
        long id = Long.parseLong(m.group(1));
        return builds().show().caller(c.viewer.caller()).id(id).call(); // another's private build does not exist
    }

    private WebResponse show(Web.Context c, Matcher m) {
        Build b = readable(c, m);
        BuildLogs.Chunk log;
        try {
            log = builds().logs().end(b.id(), 256 << 10); // the page shows the end; the whole log is a link away
        } catch (ForgeException e) {
            log = new BuildLogs.Chunk(b.id(), "", 0, true);
        }
        String text = log.text();
        if (log.next() > text.length()) {
            text = "[... " + (log.next() - text.getBytes(StandardCharsets.UTF_8).length) + " bytes before this; "
                    + "the whole log: /+builds/" + b.id() + "/log]\n" + text;
        }
        return c.render(
                "build.jte",
                new BuildView(
                        c.page("Build " + b.id() + ": " + b.source() + " " + b.version(), "builds"),
                        b,
                        text,
                        log.next(),
                        log.complete() || b.state().isFinal(),
                        c.viewer.mayWrite(b.archive())));
    }

    private WebResponse log(Web.Context c, Matcher m) {
        Build b = readable(c, m);
        long offset;
        try {
            offset = c.request.param("offset") == null ? 0 : Long.parseLong(c.request.param("offset"));
        } catch (NumberFormatException e) {
            throw ForgeException.invalid("offset is a whole number of bytes");
        }
        BuildLogs.Chunk chunk;
        try {
            chunk = builds().logs().read(b.id(), offset);
        } catch (ForgeException e) {
            chunk = new BuildLogs.Chunk(b.id(), "", 0, b.state().isFinal());
        }
        // The script reads where to ask next and whether the log has ended from these headers.
        return WebResponse.text(200, chunk.text())
                .header("X-Log-Next", Long.toString(chunk.next()))
                .header(
                        "X-Log-Complete",
                        Boolean.toString(chunk.complete()
                                || b.state().isFinal() && chunk.text().isEmpty()));
    }

    private WebResponse act(Web.Context c, Matcher m, boolean retry) {
        Build b = readable(c, m);
        if (!c.viewer.mayWrite(b.archive())) {
            throw new ForgeException(
                    ForgeException.Kind.FORBIDDEN, "you may not change builds of archive '" + b.archive() + "'");
        }
        if (retry) {
            builds().retry().caller(c.viewer.caller()).id(b.id()).call();
        } else {
            WebResponse ask = c.unconfirmed(
                    "Cancel build " + b.id() + " (" + b.title() + ")? A running build is stopped.",
                    "/+builds/" + b.id());
            if (ask != null) {
                return ask;
            }
            builds().cancel().caller(c.viewer.caller()).id(b.id()).call();
        }
        return WebResponse.redirect("/+builds/" + b.id());
    }
}
