package org.ppaforge.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Matcher;
import org.ppaforge.common.ForgeException;
import org.ppaforge.common.Names;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.pipeline.Run;
import org.ppaforge.web.view.PipelinesView;
import org.ppaforge.web.view.RunView;

/**
 * Pipelines and their runs: steps with their logs, artifacts, the install test's callback result (the step's message).
 * As over the API, only signed-in tokens (not workers', not readers') see them.
 */
final class PipelinePages {
    static final int MAX_LOG = 256 << 10;
    private final Web web;

    PipelinePages(Web web) {
        this.web = web;
    }

    void register() {
        web.get("/\\+pipelines", (c, m) -> list(c, null));
        web.get("/\\+pipelines/(" + Names.SET_RE + ")", (c, m) -> list(c, m.group(1)));
        web.get("/\\+runs/(\\d{1,18})", this::run);
        web.get("/\\+runs/(\\d{1,18})/artifacts/(.+)", this::artifact);
        web.post("/\\+runs/(\\d{1,18})/cancel", this::cancel);
    }

    /** The most of an artifact one page request reads. */
    static final int MAX_ARTIFACT = 8 << 20;

    /** The pipelines; what the viewer may see of them, {@code PipelineAccess} decides (public archives' to anyone). */
    private Pipelines pipelines(Web.Context c) {
        return web.pipelines;
    }

    private WebResponse list(Web.Context c, String name) {
        var access = pipelines(c).access(c.viewer.secret());
        return c.render(
                "pipelines.jte",
                new PipelinesView(
                        c.page(name == null ? "Pipelines" : "Pipeline " + name, "pipelines"),
                        name,
                        name == null ? access.pipelines() : List.of(access.pipeline(name)),
                        access.runs(name, 50)));
    }

    private WebResponse run(Web.Context c, Matcher m) throws IOException {
        Pipelines p = pipelines(c);
        Run run = p.access(c.viewer.secret()).run(Long.parseLong(m.group(1)));
        if (run.isFinal()) {
            p.fetchRunFiles(run.id()); // on shared stores another server may have run it
        }
        List<RunView.StepLog> steps = new ArrayList<>();
        for (Run.Step s : run.steps()) {
            Path f = p.logFile(run.id(), s.name());
            String log = "";
            if (Files.isRegularFile(f)) {
                long size = Files.size(f);
                try (var in = Files.newInputStream(f)) {
                    in.skip(Math.max(0, size - MAX_LOG));
                    log = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            steps.add(new RunView.StepLog(s, log));
        }
        List<String> artifacts = new ArrayList<>();
        Path dir = p.artifacts(run.id());
        if (Files.isDirectory(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile)
                        .forEach(f -> artifacts.add(dir.relativize(f).toString()));
            }
        }
        return c.render(
                "run.jte",
                new RunView(c.page("Run " + run.id() + " of " + run.pipeline(), "pipelines"), run, steps, artifacts));
    }

    private WebResponse artifact(Web.Context c, Matcher m) throws IOException {
        Pipelines p = pipelines(c);
        Run run = p.access(c.viewer.secret()).run(Long.parseLong(m.group(1)));
        if (run.isFinal()) {
            p.fetchRunFiles(run.id()); // on shared stores another server may have run it
        }
        Path dir = p.artifacts(run.id()).toAbsolutePath().normalize();
        Path f = dir.resolve(m.group(2)).normalize();
        if (!f.startsWith(dir) || !Files.isRegularFile(f)) {
            throw ForgeException.notFound("run " + run.id() + " has no artifact '" + m.group(2) + "'");
        }
        // Served as text, never as HTML: an artifact is whatever the project's commands wrote. At most MAX_ARTIFACT
        // bytes are
        // read (one request takes a bounded share of memory); a larger one says where it was cut.
        long size = Files.size(f);
        byte[] body;
        try (var in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
            body = in.readNBytes(MAX_ARTIFACT);
        }
        if (size > MAX_ARTIFACT) {
            byte[] note = ("\n[ppaforge: cut at " + MAX_ARTIFACT + " of " + size + " bytes]\n")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] both = Arrays.copyOf(body, body.length + note.length);
            System.arraycopy(note, 0, both, body.length, note.length);
            body = both;
        }
        return new WebResponse(200, "text/plain; charset=utf-8", body, new LinkedHashMap<>());
    }

    private WebResponse cancel(Web.Context c, Matcher m) {
        Pipelines p = pipelines(c);
        Run run = p.access(c.viewer.secret()).writable(Long.parseLong(m.group(1)));
        WebResponse ask = c.unconfirmed("Cancel run " + run.id() + " of " + run.pipeline() + "?", "/+runs/" + run.id());
        if (ask != null) {
            return ask;
        }
        p.cancel().run(run.id()).call();
        return WebResponse.redirect("/+runs/" + run.id());
    }
}
