package org.ppaforge.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.common.ForgeException;
import org.ppaforge.common.Names;
import org.ppaforge.farm.Builds;
import org.ppaforge.forge.Forge;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.qa.Qa;
import org.ppaforge.web.view.ConfirmView;
import org.ppaforge.web.view.MessageView;
import org.ppaforge.web.view.Page;

/**
 * The web interface's entry point: takes a {@link WebRequest}, finds the page, answers a {@link WebResponse}. Pages are
 * jte templates compiled at build time; every read and write goes through the same verbs and access rules as the CLI
 * and the API. URLs are Launchpad's shape: {@code /ARCHIVE}, {@code /ARCHIVE/+package/SOURCE}, {@code /+builds}; a
 * {@code +} never starts an archive name, so pages and apt trees never meet.
 */
public final class Web {
    /** Paths the server hands to this: the home page, {@code /+...}, {@code /ARCHIVE} and {@code /ARCHIVE/+...}. */
    public static final Pattern PATHS = Pattern.compile("^/(\\+.*|" + Names.ARCHIVE_RE + "/?(/\\+.*)?)?$");

    final Ppaforge ppa;
    final Builds builds;
    final Pipelines pipelines;
    final Qa qa;
    final Sessions sessions;
    final PackageLists packageLists;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(
            null, ContentType.Html, Web.class.getClassLoader(), "org.ppaforge.web.templates");
    private final List<Route> routes = new ArrayList<>();

    interface Handler {
        WebResponse handle(Context c, Matcher m) throws Exception;
    }

    private record Route(String method, Pattern path, Handler handler) {}

    /** One request being answered: the request, who is looking, and the page frame. */
    final class Context {
        final WebRequest request;
        final Viewer viewer;

        Context(WebRequest request, Viewer viewer) {
            this.request = request;
            this.viewer = viewer;
        }

        Page page(String title, String section) {
            return new Page(title, section, viewer);
        }

        WebResponse render(int status, String template, Object view) {
            StringOutput out = new StringOutput(8192);
            templates.render(template, view, out);
            return WebResponse.html(status, out.toString());
        }

        WebResponse render(String template, Object view) {
            return render(200, template, view);
        }

        /**
         * A destructive action asks first: null when this post carries {@code confirm=yes}, otherwise the page that asks
         * (its form posts the same fields again, with the confirmation).
         */
        WebResponse unconfirmed(String question, String back) {
            if ("yes".equals(request.field("confirm"))) {
                return null;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            request.form().forEach((k, v) -> {
                if (!k.equals("csrf") && !k.equals("confirm") && !v.isEmpty()) {
                    fields.put(k, v.get(0));
                }
            });
            return render("confirm.jte", new ConfirmView(page("Confirm", ""), question, request.path(), fields, back));
        }
    }

    /** The forge, for what the daemon reports (the scheduled backups). */
    final Forge forge;

    public Web(Forge forge) {
        this.forge = forge;
        this.ppa = forge.archive();
        // The forge's clock: 12 h idle is judged as the rest of it. Rows of the shared database when there is one.
        this.sessions = new Sessions(ppa.clock(), SharedSessions.open(ppa.databases()));
        this.builds = forge.farm();
        this.pipelines = forge.pipelines();
        this.qa = forge.qa();
        this.packageLists = new PackageLists(ppa);
        new ArchivePages(this).register();
        new BuildPages(this).register();
        new PipelinePages(this).register();
        new AdminPages(this).register();
        new CoveragePages(this).register();
        new RebuildPages(this).register();
        new SignIn(this).register();
        new StaticFiles().register(this);
    }

    void get(String path, Handler h) {
        routes.add(new Route("GET", Pattern.compile(path), h));
    }

    void post(String path, Handler h) {
        routes.add(new Route("POST", Pattern.compile(path), h));
    }

    /**
     * Answers a request. Refusals are pages too: 404 for what does not exist or may not be seen (a private archive is
     * missing to a stranger), 403 for a write that is not allowed or a form without its session's CSRF token, 400 for
     * bad input; never a 500 for anything a visitor can send.
     */
    public WebResponse handle(WebRequest request) {
        Sessions.Session s = sessions.find(request.cookies().get(Sessions.COOKIE));
        Context c = new Context(request, new Viewer(ppa, s));
        WebResponse r;
        try {
            r = route(c);
        } catch (ForgeException e) {
            int status = switch (e.kind()) {
                case NOT_FOUND -> 404;
                case UNAUTHORIZED, FORBIDDEN -> 403;
                case INVALID -> 400;
                case TOO_LARGE -> 413;
                case BUSY -> 503;
                case IO -> 500;
                case REFUSED -> 409;
            };
            r = message(c, status, e.getMessage());
        } catch (IllegalArgumentException e) {
            r = message(c, 400, e.getMessage());
        } catch (Exception e) {
            r = message(c, 500, "the page could not be made: " + e.getClass().getSimpleName());
        }
        r.headers().putIfAbsent("Cache-Control", "no-store");
        r.headers().put("X-Content-Type-Options", "nosniff");
        r.headers().put("X-Frame-Options", "DENY");
        r.headers().put("Referrer-Policy", "same-origin");
        r.headers()
                .putIfAbsent(
                        "Content-Security-Policy",
                        "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                + "script-src 'self'; form-action 'self'; frame-ancestors 'none'");
        return r;
    }

    private WebResponse route(Context c) throws Exception {
        String path = c.request.path();
        boolean pathMatched = false;
        for (Route route : routes) {
            Matcher m = route.path.matcher(path);
            if (!m.matches()) {
                continue;
            }
            pathMatched = true;
            if (!route.method.equals(c.request.method())
                    && !(route.method.equals("GET") && c.request.method().equals("HEAD"))) {
                continue;
            }
            if (route.method.equals("POST")
                    && c.request.origin() != null
                    && !c.request.origin().equalsIgnoreCase(c.request.base())) {
                // A browser says where a form came from: a post from another site (a login CSRF, a forged action) is
                // refused.
                return message(
                        c,
                        403,
                        "this form did not come from this site (" + c.request.origin() + "): open the page on "
                                + c.request.base() + " and try again");
            }
            if (route.method.equals("POST")
                    && (c.viewer.session() == null && !path.equals("/+signin")
                            || c.viewer.session() != null && !c.viewer.csrf().equals(c.request.field("csrf")))) {
                return message(
                        c, 403, "this form has expired or did not come from this site: reload the page and try again");
            }
            return route.handler.handle(c, m);
        }
        return pathMatched
                ? message(c, 405, c.request.method() + " is not allowed here")
                : message(c, 404, "no such page");
    }

    WebResponse message(Context c, int status, String message) {
        return c.render(
                status,
                "message.jte",
                new MessageView(c.page(status >= 400 ? "Error " + status : "ppaforge", ""), status, message));
    }
}
