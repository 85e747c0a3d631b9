package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.testing.RealDebs;
import org.ppaforge.debian.testing.RealSources;
import org.ppaforge.debian.testing.SourcePackages;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * A package's page tells what the package is (real Debian binaries: descriptions, control fields, relations linked to
 * what the archive has), the archive's list shows and searches short descriptions, and every part of a package's page
 * describes the same publication: after a newer version, its files and changelog, not the superseded one's; with two
 * series, each its own; also after a restart.
 */
class PackagePageTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    final HttpClient http = HttpClient.newHttpClient();

    private String get(PpaServer server, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    /** The HTML of the publication section of that series and version. */
    private static String section(String page, String series, String version) {
        Matcher m = Pattern.compile("(?s)<section class=\"publication\"[^>]*data-series=\"" + Pattern.quote(series)
                        + "\" data-version=\"" + Pattern.quote(version) + "\">(.*?)</section>")
                .matcher(page);
        assertThat(m.find())
                .as("a section for " + version + " in " + series + " in:\n" + page)
                .isTrue();
        return m.group(1);
    }

    @Test
    void realPackagesShowWhatTheyAreAndTheListSearchesDescriptions() throws Exception {
        List<Path> debs = RealDebs.download(
                RealSources.defaultCache(), List.of("hello", "cowsay", "libjs-jquery-hotkeys", "libjs-jquery"));
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            forge.archive()
                    .createArchive()
                    .name("trunk")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            forge.archive()
                    .include()
                    .archive("trunk")
                    .series("bookworm")
                    .files(debs)
                    .call();
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                String list = get(server, "/trunk");
                assertThat(list)
                        .contains("example package based on GNU hello")
                        .contains("configurable talking cow")
                        .contains("JavaScript library for dynamic web applications");
                String found = get(server, "/trunk?q=" + URLEncoder.encode("Talking Cow", StandardCharsets.UTF_8));
                assertThat(found).contains("1 source matching").contains("+package/cowsay\"");
                assertThat(found).doesNotContain("+package/hello\"");

                String hotkeys = get(server, "/trunk/+package/libjs-jquery-hotkeys");
                String version = RealDebs.versions("libjs-jquery-hotkeys").stream()
                        .filter(v -> debs.stream()
                                .anyMatch(d -> d.getFileName().toString().contains(v.replace(":", "%3a"))))
                        .findFirst()
                        .orElseThrow();
                String s = section(hotkeys, "bookworm", version);
                assertThat(s)
                        .contains("easily add and remove handlers for keyboard events")
                        .contains("<dt>Section</dt><dd>web</dd>")
                        .contains("<dt>Priority</dt>")
                        .contains("<dt>Installed-Size</dt>")
                        .contains("<dt>Maintainer</dt><dd>Debian Javascript Maintainers")
                        .contains("href=\"https://github.com/tzuryby/jquery.hotkeys\"");
                // The long description, as paragraphs, not its raw " ." lines.
                assertThat(s)
                        .containsPattern("<p class=\"description\">[^<]{40,}</p>")
                        .doesNotContain("\n .\n");
                // Depends: libjs-jquery links to the source that publishes it here (node-jquery).
                assertThat(s)
                        .containsPattern(
                                "(?s)<dd class=\"relation relation-depends\">\\s*<a href=\"/trunk/\\+package/node-jquery\">libjs-jquery</a>");
                // hello's libc6 is not in the archive: shown, not linked.
                assertThat(section(
                                get(server, "/trunk/+package/hello"),
                                "bookworm",
                                RealDebs.versions("hello").stream()
                                        .filter(v -> debs.stream()
                                                .anyMatch(d -> d.getFileName()
                                                        .toString()
                                                        .contains("_" + v + "_")))
                                        .findFirst()
                                        .orElseThrow()))
                        .contains("libc6 (&gt;= ")
                        .doesNotContain("+package/glibc");
            }
        }
    }

    @Test
    void everyPartOfThePageDescribesTheSamePublicationPerSeriesAlsoAfterARestart() throws Exception {
        SourcePackages.buildSourceUpload(work, "webtool", "1.0", "1", "bookworm");
        // Each revision from a fresh tree (a tree used once holds debian/, which the orig tarball must not), so both
        // share the same orig tarball, as real revisions do.
        Path second = Files.createDirectories(work.resolve("second"));
        SourcePackages.buildSourceUpload(second, "webtool", "1.0", "2", "bookworm");
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            forge.archive()
                    .createArchive()
                    .name("trunk")
                    .series(List.of("bookworm", "trixie"))
                    .architectures(List.of("amd64"))
                    .call();
            for (String series : List.of("bookworm", "trixie")) {
                forge.archive()
                        .include()
                        .archive("trunk")
                        .series(series)
                        .files(List.of(work.resolve("webtool_1.0-1.dsc")))
                        .call();
            }
            forge.archive()
                    .include()
                    .archive("trunk")
                    .series("bookworm")
                    .files(List.of(second.resolve("webtool_1.0-2.dsc")))
                    .call();
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                check(get(server, "/trunk/+package/webtool"));
            }
        }
        try (Forge forge = Forge.open(ForgeConfig.of(data));
                PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
            check(get(server, "/trunk/+package/webtool"));
        }
    }

    private static void check(String page) {
        String bookworm = section(page, "bookworm", "1.0-2");
        assertThat(bookworm)
                .contains("webtool_1.0-2.dsc")
                .contains("webtool_1.0-2.debian.tar")
                .contains("webtool (1.0-2)")
                .doesNotContain("webtool_1.0-1")
                .doesNotContain("webtool (1.0-1)");
        String trixie = section(page, "trixie", "1.0-1");
        assertThat(trixie)
                .contains("webtool_1.0-1.dsc")
                .contains("webtool (1.0-1)")
                .doesNotContain("1.0-2");
        // Superseded 1.0-1 in bookworm is history only: no section of its own.
        assertThat(page).doesNotContainPattern("data-series=\"bookworm\" data-version=\"1.0-1\"");
        assertThat(page).containsPattern("(?s)id=\"history\".*1.0-1.*superseded");
        // Times in the one way: "2026-12-03 07:48 UTC", how long ago, the exact instant on hover; never raw ISO text.
        assertThat(page)
                .containsPattern(
                        "<time datetime=\"[0-9-]{10}T[0-9:]{8}Z\" title=\"[0-9-]{10} [0-9:]{8} UTC\">"
                                + "[0-9-]{10} [0-9]{2}:[0-9]{2} UTC</time> <small class=\"ago\">(just now|[0-9]+ min ago)</small>");
        assertThat(page.replaceAll("<[^>]*>", "")).doesNotContainPattern("[0-9]T[0-9]{2}:[0-9]{2}");
    }
}
