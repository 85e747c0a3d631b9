package org.ppaforge.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.ppaforge.archive.verb.CreateToken;
import org.ppaforge.archive.verb.ListArchives;
import org.ppaforge.common.ForgeException;
import org.ppaforge.web.view.AdminView;

/**
 * Administration with an admin token: tokens (create, revoke), and per archive its signing keys (rotate, retire),
 * uploaders (add, remove) and privacy. Each action is the CLI's verb; destructive ones ask for confirmation first.
 */
final class AdminPages {
    private final Web web;
    private final ArchivePages archives;

    AdminPages(Web web) {
        this.web = web;
        this.archives = new ArchivePages(web);
    }

    void register() {
        web.get("/\\+admin", (c, m) -> page(c(c), null, null));
        web.post("/\\+admin/tokens", this::createToken);
        web.post("/\\+admin/tokens/revoke", this::revokeToken);
        web.post("/\\+admin/uploaders/add", this::addUploader);
        web.post("/\\+admin/uploaders/remove", this::removeUploader);
        web.post("/\\+admin/keys/rotate", this::rotateKey);
        web.post("/\\+admin/keys/retire", this::retireKey);
        web.post("/\\+admin/privacy", this::privacy);
    }

    /** Only an admin token gets here. */
    private static Web.Context c(Web.Context c) {
        if (!c.viewer.isAdmin()) {
            throw new ForgeException(
                    ForgeException.Kind.FORBIDDEN,
                    c.viewer.signedIn()
                            ? "this page needs an admin token"
                            : "sign in with an admin token to see this page");
        }
        return c;
    }

    private WebResponse page(Web.Context c, String created, String notice) {
        List<AdminView.ArchiveAdmin> list = new ArrayList<>();
        for (ListArchives.Summary s : web.ppa.listArchives().counts(false).call()) {
            String a = s.archive().name();
            list.add(new AdminView.ArchiveAdmin(
                    a,
                    web.ppa.listKeys().archive(a).call(),
                    web.ppa.listUploaders().archive(a).call(),
                    archives.isPrivate(a)));
        }
        return c.render(
                "admin.jte",
                new AdminView(c.page("Admin", "admin"), web.ppa.listTokens().call(), list, created, notice));
    }

    private static String required(Web.Context c, String field) {
        String v = c.request.field(field);
        if (v == null || v.isBlank()) {
            throw ForgeException.invalid("the form has no " + field);
        }
        return v.strip();
    }

    private WebResponse createToken(Web.Context c, Matcher m) {
        c(c);
        String archive = c.request.field("archive");
        CreateToken.Result r = web.ppa
                .createToken()
                .name(required(c, "name"))
                .role(required(c, "role"))
                .archive(archive == null || archive.isBlank() ? null : archive)
                .call();
        return page(c, r.secret(), "Token '" + r.token().name() + "' created. Copy it now: it is not shown again.");
    }

    private WebResponse revokeToken(Web.Context c, Matcher m) {
        c(c);
        String name = required(c, "name");
        WebResponse ask = c.unconfirmed(
                "Revoke token '" + name + "'? Everything using it (CI, dput, workers, apt) stops working.", "/+admin");
        if (ask != null) {
            return ask;
        }
        web.ppa.revokeToken().name(name).call();
        web.sessions.endToken(name);
        return WebResponse.redirect("/+admin#tokens");
    }

    private WebResponse addUploader(Web.Context c, Matcher m) {
        c(c);
        String archive = required(c, "archive");
        web.ppa
                .addUploader()
                .archive(archive)
                .key(required(c, "key").getBytes(StandardCharsets.UTF_8), "the admin page")
                .call();
        return WebResponse.redirect("/+admin#archive-" + archive);
    }

    private WebResponse removeUploader(Web.Context c, Matcher m) {
        c(c);
        String archive = required(c, "archive");
        String key = required(c, "key");
        WebResponse ask = c.unconfirmed(
                "Remove uploader " + key + " from " + archive + "? Its uploads will be rejected.", "/+admin");
        if (ask != null) {
            return ask;
        }
        web.ppa.removeUploader().archive(archive).key(key).call();
        return WebResponse.redirect("/+admin#archive-" + archive);
    }

    private WebResponse rotateKey(Web.Context c, Matcher m) {
        c(c);
        String archive = required(c, "archive");
        WebResponse ask = c.unconfirmed(
                "Rotate the signing key of " + archive + "? A new key signs from now on, beside the current "
                        + "one until you retire it; clients need the new key before then.",
                "/+admin");
        if (ask != null) {
            return ask;
        }
        web.ppa.rotateKey().archive(archive).call();
        return WebResponse.redirect("/+admin#archive-" + archive);
    }

    private WebResponse retireKey(Web.Context c, Matcher m) {
        c(c);
        String archive = required(c, "archive");
        String key = required(c, "key");
        WebResponse ask = c.unconfirmed(
                "Retire key " + key + " of " + archive + "? It stops signing: clients that trust only it fail "
                        + "from the next publish on.",
                "/+admin");
        if (ask != null) {
            return ask;
        }
        web.ppa.retireKey().archive(archive).key(key).call();
        return WebResponse.redirect("/+admin#archive-" + archive);
    }

    private WebResponse privacy(Web.Context c, Matcher m) {
        c(c);
        String archive = required(c, "archive");
        boolean makePrivate = "yes".equals(required(c, "private"));
        WebResponse ask = c.unconfirmed(
                makePrivate
                        ? "Make " + archive + " private? apt clients without a token covering it stop " + "seeing it."
                        : "Make " + archive + " public? Anyone who reaches this server can read it.",
                "/+admin");
        if (ask != null) {
            return ask;
        }
        web.ppa.configureArchive().archive(archive).privateArchive(makePrivate).call();
        return WebResponse.redirect("/+admin#archive-" + archive);
    }
}
