package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.debian.testing.SourcePackages;
import org.ppaforge.farm.BuildState;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * The pages' destructive actions ask first, as the README promises: retiring a key, removing an uploader, changing an
 * archive's privacy and cancelling a build each answer a confirmation page (naming what will happen) and change nothing
 * until the form comes back with confirm=yes; then they are done. Retrying a build, which loses nothing, is done at
 * once.
 */
@Timeout(120)
class WebConfirmationsTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    final HttpClient http = HttpClient.newHttpClient();
    String base;

    private HttpResponse<String> post(String path, String cookie, String... fields) throws Exception {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < fields.length; i += 2) {
            parts.add(URLEncoder.encode(fields[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("&", parts)));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Asks without confirming (a confirmation page, nothing changed), then confirms (done). */
    private void asksThenDoes(
            String cookie, String csrf, String path, String question, Supplier<Object> state, String... fields)
            throws Exception {
        Object before = state.get();
        List<String> form = new ArrayList<>(List.of("csrf", csrf));
        form.addAll(List.of(fields));
        HttpResponse<String> ask = post(path, cookie, form.toArray(String[]::new));
        assertThat(ask.statusCode()).as(path + ": " + ask.body()).isEqualTo(200);
        assertThat(ask.body()).as(path).contains(question).contains("name=\"confirm\" value=\"yes\"");
        assertThat(state.get()).as(path + " before confirming").isEqualTo(before);
        form.addAll(List.of("confirm", "yes"));
        HttpResponse<String> done = post(path, cookie, form.toArray(String[]::new));
        assertThat(done.statusCode()).as(path + ": " + done.body()).isEqualTo(303);
        assertThat(state.get()).as(path + " once confirmed").isNotEqualTo(before);
    }

    @Test
    void destructiveActionsAskFirstAndRetryDoesNot() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            forge.farm(); // open, so it hears of the include below and queues its build
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            String oldKey = ppa.listKeys().archive("trunk").call().get(0).fingerprint();
            ppa.rotateKey().archive("trunk").call();
            ppa.addUploader()
                    .archive("trunk")
                    .key(ppa.exportKey().archive("trunk").call().getBytes(StandardCharsets.UTF_8), "team.asc")
                    .call();
            String uploader = ppa.listUploaders().archive("trunk").call().get(0).fingerprint();
            SourcePackages.buildSourceUpload(work, "webtool", "1.0", "1", "bookworm");
            ppa.include()
                    .archive("trunk")
                    .series("bookworm")
                    .files(List.of(work.resolve("webtool_1.0-1.dsc")))
                    .call();
            long build = forge.farm().list().archive("trunk").call().get(0).id();
            String admin = ppa.createToken().name("root").role("admin").call().secret();
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                base = "http://127.0.0.1:" + server.port();
                HttpResponse<String> signIn = post("/+signin", null, "token", admin);
                String cookie =
                        signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
                String page = http.send(
                                HttpRequest.newBuilder(URI.create(base + "/+admin"))
                                        .header("Cookie", cookie)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                String csrf = page.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");

                asksThenDoes(
                        cookie,
                        csrf,
                        "/+admin/keys/retire",
                        "Retire key " + oldKey + " of trunk?",
                        () -> ppa.listKeys().archive("trunk").call().stream()
                                .filter(ArchiveKey::active)
                                .count(),
                        "archive",
                        "trunk",
                        "key",
                        oldKey);
                asksThenDoes(
                        cookie,
                        csrf,
                        "/+admin/uploaders/remove",
                        "Remove uploader " + uploader + " from trunk?",
                        () -> ppa.listUploaders().archive("trunk").call().size(),
                        "archive",
                        "trunk",
                        "key",
                        uploader);
                asksThenDoes(
                        cookie,
                        csrf,
                        "/+admin/privacy",
                        "Make trunk private?",
                        () -> ppa.authenticate().isPrivate("trunk"),
                        "archive",
                        "trunk",
                        "private",
                        "yes");
                asksThenDoes(
                        cookie,
                        csrf,
                        "/+builds/" + build + "/cancel",
                        "Cancel build " + build + " (",
                        () -> forge.farm().show().id(build).call().state(),
                        "id",
                        Long.toString(build));
                assertThat(forge.farm().show().id(build).call().state()).isEqualTo(BuildState.CANCELLED);

                HttpResponse<String> retry = post("/+builds/" + build + "/retry", cookie, "csrf", csrf);
                assertThat(retry.statusCode()).as(retry.body()).isEqualTo(303);
                assertThat(forge.farm().show().id(build).call().state())
                        .isIn(BuildState.WAITING, BuildState.CHROOT_WAIT);
            }
        }
    }
}
