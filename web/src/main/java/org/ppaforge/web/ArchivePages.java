package org.ppaforge.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.archive.model.UploadRecord;
import org.ppaforge.archive.verb.ListArchives;
import org.ppaforge.archive.verb.ListPackages;
import org.ppaforge.archive.verb.Skew;
import org.ppaforge.common.ForgeException;
import org.ppaforge.common.Names;
import org.ppaforge.common.Times;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildState;
import org.ppaforge.web.view.ArchiveView;
import org.ppaforge.web.view.HomeView;
import org.ppaforge.web.view.SkewView;
import org.ppaforge.web.view.UploadsView;

/** The home page, an archive's page (usage, packages with search and paging), a package's page, the upload log, skew. */
final class ArchivePages {
    static final int PAGE_SIZE = 50;
    private final Web web;

    ArchivePages(Web web) {
        this.web = web;
    }

    void register() {
        web.get("/", this::home);
        web.get("/(" + Names.ARCHIVE_RE + ")/?", this::archive);
        new PackagePage(web, this).register();
        web.get("/(" + Names.ARCHIVE_RE + ")/\\+uploads", this::uploads);
        web.get("/(" + Names.ARCHIVE_RE + ")/\\+skew", this::skew);
    }

    /** The archive, when this viewer may see it; to anyone else a private archive is missing, word for word. */
    Archive readable(Web.Context c, String name) {
        web.ppa.authenticate().token(c.viewer.secret()).toRead(name); // throws the missing archive's answer
        return web.ppa.listArchives().name(name).counts(false).call().get(0).archive();
    }

    boolean isPrivate(String archive) {
        return web.ppa.authenticate().isPrivate(archive);
    }

    private WebResponse home(Web.Context c, Matcher m) {
        // Regressions in the newest run of each rebuild set the viewer may see, per archive rebuilt into: read once.
        Map<String, Integer> regressions = new HashMap<>();
        if (web.qa != null) {
            for (var set : web.qa.rebuilds().list()) {
                if (set.archives().stream().allMatch(c.viewer::mayRead)) {
                    int n = (int) web.qa.rebuilds().runs(set.name(), 1).stream()
                            .flatMap(r -> r.results().stream())
                            .filter(r -> r.verdict().endsWith("regression"))
                            .count();
                    regressions.merge(set.into(), n, Integer::sum);
                }
            }
        }
        List<HomeView.ArchiveRow> rows = new ArrayList<>();
        for (ListArchives.Summary s : web.ppa.listArchives().counts(false).call()) {
            String name = s.archive().name();
            if (!c.viewer.mayRead(name)) {
                continue;
            }
            int packages = (int) web.packageLists.of(name, null).stream()
                    .filter(e -> !e.superseded())
                    .count();
            List<UploadRecord> last =
                    web.ppa.listUploads().archive(name).limit(1).call();
            String lastUpload = last.isEmpty()
                    ? null
                    : (last.get(0).source() == null
                                    ? last.get(0).changes()
                                    : last.get(0).source() + " " + last.get(0).version())
                            + ", " + Times.shown(last.get(0).receivedAt()) + " ("
                            + last.get(0).status() + ")";
            int waiting = 0;
            int failed = 0;
            if (web.builds != null) {
                for (Build b : web.builds.list().archive(name).limit(500).call()) {
                    if (b.state() == BuildState.WAITING
                            || b.state() == BuildState.BUILDING
                            || b.state() == BuildState.UPLOADING) {
                        waiting++;
                    } else if (b.state() == BuildState.FAILED_TO_BUILD
                            || b.state() == BuildState.FAILED_TO_UPLOAD
                            || b.state() == BuildState.DEPENDENCY_WAIT) {
                        failed++;
                    }
                }
            }
            var lastRun =
                    web.pipelines != null ? web.pipelines.lastRunInto(name).orElse(null) : null;
            rows.add(new HomeView.ArchiveRow(
                    name,
                    s.archive().description(),
                    s.archive().series(),
                    packages,
                    isPrivate(name),
                    lastUpload,
                    waiting,
                    failed,
                    lastRun,
                    regressions.getOrDefault(name, 0)));
        }
        var runs =
                web.pipelines != null ? web.pipelines.access(c.viewer.secret()).runs(null, 5) : null;
        // Admins see how the scheduled backups fare (the target's path is the server's business, not a reader's).
        String backup = !c.viewer.isAdmin()
                ? null
                : web.forge
                        .backups()
                        .map(b -> b.last()
                                .map(o -> (o.ok() ? "" : "FAILED: ") + o.message() + " (" + Times.shown(o.at())
                                        + ", into " + o.target() + ", " + b.schedule() + ")")
                                .orElse("none yet this run of the server (into " + b.target() + ", " + b.schedule()
                                        + ")"))
                        .orElse(null);
        return c.render("home.jte", new HomeView(c.page("Archives", "archives"), rows, runs, backup));
    }

    private WebResponse archive(Web.Context c, Matcher m) {
        Archive a = readable(c, m.group(1));
        if (c.request.path().endsWith("/")) {
            return WebResponse.redirect("/" + a.name());
        }
        String series = c.request.param("series");
        if (series != null && !a.hasSeries(series)) {
            throw ForgeException.notFound("archive '" + a.name() + "' has no series '" + series + "' (series: "
                    + String.join(", ", a.series()) + ")");
        }
        String q = c.request.param("q");
        q = q == null || q.isBlank() ? null : q.strip().toLowerCase(Locale.ROOT);
        if (q != null && q.length() > 100) {
            throw ForgeException.invalid("a search is at most 100 characters");
        }
        int number = number(c.request.param("page"));
        List<ListPackages.Entry> found =
                q == null ? web.packageLists.of(a.name(), series) : web.packageLists.matching(a.name(), series, q);
        int pages = Math.max(1, (found.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        number = Math.min(number, pages);
        List<ListPackages.Entry> rows =
                found.subList((number - 1) * PAGE_SIZE, Math.min(found.size(), number * PAGE_SIZE));
        List<ArchiveKey> keys = web.ppa.listKeys().archive(a.name()).call().stream()
                .filter(ArchiveKey::active)
                .toList();
        String base = c.request.base();
        String sources = web.ppa.aptSources().archive(a.name()).url(base).call();
        URI u = URI.create(base);
        String dput = "[" + a.name() + "]\nfqdn = " + u.getAuthority() + "\nmethod = " + u.getScheme()
                + "\nincoming = /upload/" + a.name() + "\nlogin = " + (c.viewer.signedIn() ? c.viewer.name() : "you")
                + "\n";
        return c.render(
                "archive.jte",
                new ArchiveView(
                        c.page(a.name(), "archives"),
                        a,
                        isPrivate(a.name()),
                        series,
                        q,
                        number,
                        pages,
                        found.size(),
                        rows,
                        sources,
                        keys,
                        dput,
                        "/" + a.name() + "/key.asc"));
    }

    static int number(String page) {
        if (page == null) {
            return 1;
        }
        try {
            int n = Integer.parseInt(page);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ForgeException.invalid("a page number is a whole number from 1, not '" + page + "'");
        }
    }

    private WebResponse uploads(Web.Context c, Matcher m) {
        Archive a = readable(c, m.group(1));
        return c.render(
                "uploads.jte",
                new UploadsView(
                        c.page("Uploads to " + a.name(), "archives"),
                        a.name(),
                        web.ppa.listUploads().archive(a.name()).limit(200).call()));
    }

    private WebResponse skew(Web.Context c, Matcher m) {
        Archive a = readable(c, m.group(1));
        List<String> with = new ArrayList<>(List.of(a.name()));
        for (ListArchives.Summary s : web.ppa.listArchives().counts(false).call()) {
            if (!s.archive().name().equals(a.name())
                    && c.viewer.mayRead(s.archive().name())
                    && s.archive().series().stream().anyMatch(a::hasSeries)) {
                with.add(s.archive().name());
            }
        }
        var rows = with.size() < 2
                ? List.<Skew.Row>of()
                : web.ppa.skew().archives(with).call().rows();
        return c.render(
                "skew.jte", new SkewView(c.page("Version skew: " + a.name(), "archives"), a.name(), with, rows));
    }
}
