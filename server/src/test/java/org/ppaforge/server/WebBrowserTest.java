package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.debian.testing.RealDebs;
import org.ppaforge.debian.testing.RealSources;
import org.ppaforge.debian.testing.SourcePackages;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.Builds;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.qa.Qa;
import org.ppaforge.qa.rebuild.RebuildResult;
import org.ppaforge.qa.rebuild.RebuildSetRequest;

/**
 * The web pages in a real browser (Debian's chromium, headless, driven by Selenium through chromium-driver) against a
 * real server: real Debian packages published, a rejected upload, a private archive, sign-in, search, the admin page's
 * key rotation with its confirmation, and a build log that grows while the page is open. Screenshots of the main pages
 * go to target/screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebBrowserTest {
    @TempDir
    static Path data;

    @TempDir
    static Path work;

    private Forge forge;

    Ppaforge ppa;
    Builds builds;
    Qa qa;
    PpaServer server;
    String base;
    String admin;
    String reader;
    ChromeDriver browser;
    List<Path> debs;
    final Path screenshots = Path.of("target", "screenshots");

    @BeforeAll
    void start() throws Exception {
        forge = Forge.open(ForgeConfig.of(data));
        ppa = forge.archive();
        builds = forge.farm();
        ppa.createArchive()
                .name("trunk")
                .series(List.of("bookworm"))
                .architectures(List.of("amd64"))
                .description("Daily builds <script>document.title='owned'</script> of trunk")
                .call();
        ppa.createArchive()
                .name("secret-stage")
                .series(List.of("bookworm"))
                .architectures(List.of("amd64"))
                .call();
        ppa.configureArchive().archive("secret-stage").privateArchive(true).call();
        // Real Debian packages from the mirror, and a source package of our own (its changelog shows on its page).
        debs = RealDebs.download(RealSources.defaultCache(), List.of("hello", "sl", "cowsay"));
        ppa.include().archive("trunk").series("bookworm").files(debs).call();
        ppa.include()
                .archive("secret-stage")
                .series("bookworm")
                .files(debs.subList(0, 1))
                .call();
        SourcePackages.buildSourceUpload(work, "webtool", "1.0", "1", "bookworm");
        ppa.include()
                .archive("trunk")
                .series("bookworm")
                .files(List.of(work.resolve("webtool_1.0-1.dsc")))
                .call();
        admin = ppa.createToken().name("root").role("admin").call().secret();
        reader = ppa.createToken()
                .name("viewer")
                .role("reader")
                .archive("secret-stage")
                .call()
                .secret();
        String uploader = ppa.createToken()
                .name("ci")
                .role("uploader")
                .archive("trunk")
                .call()
                .secret();
        builds.createChroot()
                .series("bookworm")
                .architecture("amd64")
                .tarball(Files.writeString(work.resolve("fake.tar.zst"), "x"))
                .call();
        qa = forge.qa();
        for (String[] c : new String[][] {
            {"aaaa1111", "DA:1,1\nDA:2,0\nDA:3,0\nDA:4,0\n"}, {"bbbb2222", "DA:1,1\nDA:2,1\nDA:3,0\nDA:4,1\n"}
        }) {
            Path f = Files.writeString(
                    work.resolve(c[0] + ".info"),
                    "TN:\nSF:src/main.c\n" + c[1] + "end_of_record\nSF:src/util.c\nDA:1,1\n" + "end_of_record\n");
            qa.uploadCoverage()
                    .archive("trunk")
                    .project("mytool")
                    .commit(c[0])
                    .branch("main")
                    .files(List.of(f))
                    .call();
        }
        // Two runs of a rebuild set (into the private archive: only readers of it see the set).
        qa.rebuilds()
                .create(RebuildSetRequest.of("nightly", "trunk", List.of("hello", "sl"), "secret-stage")
                        .withSchedule("daily"));
        var store = qa.store().rebuilds();
        long r1 = store.startRun("nightly", Instant.parse("2026-12-01T03:00:00Z"));
        store.putResult(new RebuildResult(
                r1,
                "hello",
                "2.10-3",
                "2.10-3~rebuild20261201.1",
                true,
                1L,
                "PASS",
                null,
                "passed",
                null,
                null,
                "autopkgtest exit 0",
                "k1",
                Instant.parse("2026-12-01T03:10:00Z")));
        store.putResult(new RebuildResult(
                r1,
                "sl",
                "5.02-1",
                "5.02-1~rebuild20261201.1",
                true,
                2L,
                null,
                null,
                "neutral",
                null,
                null,
                "autopkgtest exit 8",
                "k2",
                Instant.parse("2026-12-01T03:20:00Z")));
        store.finishRun(r1, "2 package(s), 0 regression(s)", Instant.parse("2026-12-01T03:30:00Z"));
        long r2 = store.startRun("nightly", Instant.parse("2026-12-02T03:00:00Z"));
        store.putResult(new RebuildResult(
                r2,
                "hello",
                "2.10-3",
                "2.10-3~rebuild20261202.2",
                true,
                3L,
                "FAIL",
                "FAIL",
                "regression",
                "2.10-3~rebuild20261201.1",
                Instant.parse("2026-12-01T03:10:00Z"),
                "autopkgtest exit 4: {command1=FAIL non-zero exit status 1}; moved underneath: libc6 2.36-9 -> 2.36-10",
                "k3",
                Instant.parse("2026-12-02T03:10:00Z")));
        store.finishRun(
                r2, "2 package(s), 1 regression(s); newly failing: hello", Instant.parse("2026-12-02T03:30:00Z"));
        server = new PpaServer(forge, "127.0.0.1", 0).start();
        base = "http://127.0.0.1:" + server.port();
        // A broken upload: the upload log keeps it, rejected, with the reason.
        HttpResponse<String> put = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/upload/trunk/broken_1.0-1_source.changes"))
                                .header("Authorization", "Bearer " + uploader)
                                .PUT(HttpRequest.BodyPublishers.ofString("this is not a changes file\n"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isGreaterThanOrEqualTo(400);
        assertThat(ppa.listUploads().archive("trunk").call()).isNotEmpty();

        Files.createDirectories(screenshots);
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        server.close();
        forge.close();
    }

    private void open(String path) {
        browser.get(base + path);
    }

    private void screenshot(String name) throws Exception {
        Files.write(screenshots.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    /** Every page: one h1, and every visible form field has a label. */
    @SuppressWarnings("unchecked")
    private void accessible() {
        assertThat(browser.findElements(By.tagName("h1")))
                .as(browser.getCurrentUrl())
                .hasSize(1);
        List<String> unlabelled = (List<String>)
                ((JavascriptExecutor) browser)
                        .executeScript(
                                "return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))"
                                        + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name || e.id);");
        assertThat(unlabelled)
                .as("form fields without a label on " + browser.getCurrentUrl())
                .isEmpty();
    }

    @Test
    @Order(1)
    void aVisitorBrowsesAnArchiveSearchesAndOpensARealPackage() throws Exception {
        open("/");
        accessible();
        screenshot("home");
        assertThat(browser.getTitle()).isEqualTo("Archives · ppaforge");
        String home = text("#archives");
        assertThat(home).contains("trunk").doesNotContain("secret-stage");
        // The description is shown as text, never run.
        assertThat(home).contains("<script>document.title='owned'</script>");
        browser.findElement(By.linkText("trunk")).click();
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(d -> d.getCurrentUrl().endsWith("/trunk"));
        accessible();
        screenshot("archive");
        assertThat(text("#packages")).contains("hello").contains("cowsay").contains("webtool");
        assertThat(text("#sources")).contains("URIs: " + base + "/trunk").contains("Suites: bookworm");
        assertThat(text("#keys"))
                .contains(ppa.listKeys().archive("trunk").call().get(0).fingerprint());
        assertThat(text("#dput-cf")).contains("incoming = /upload/trunk");

        // Search with the keyboard: type, Enter.
        WebElement q = browser.findElement(By.id("q"));
        q.sendKeys("cows", Keys.ENTER);
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(d -> d.getCurrentUrl().contains("q=cows"));
        assertThat(text("#package-count")).startsWith("1 source matching");
        assertThat(text("#packages")).contains("cowsay").doesNotContain("hello");

        browser.findElement(By.linkText("cowsay")).click();
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(d -> d.getCurrentUrl().endsWith("/trunk/+package/cowsay"));
        accessible();
        screenshot("package");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("cowsay");
        assertThat(text(".publication")).contains("cowsay").contains("configurable talking cow");
        var cowsay = debs.stream()
                .filter(d -> d.getFileName().toString().startsWith("cowsay_"))
                .findFirst()
                .orElseThrow();
        assertThat(text(".publication .debs"))
                .contains(cowsay.getFileName().toString())
                .contains(String.format(Locale.ROOT, "%,d bytes", Files.size(cowsay)));
        assertThat(text("#history")).contains("published").contains("include");

        open("/trunk/+package/webtool");
        assertThat(text(".publication .changelog")).startsWith("webtool (1.0-1)");
        assertThat(text(".publication .source-files"))
                .contains("webtool_1.0-1.dsc")
                .contains("webtool_1.0.orig.tar.gz");
    }

    @Test
    @Order(2)
    void theUploadLogShowsARejectedUploadsReason() throws Exception {
        open("/trunk/+uploads");
        accessible();
        screenshot("uploads");
        String log = text("#uploads");
        assertThat(log).contains("broken_1.0-1_source.changes").contains("rejected");
        assertThat(browser.findElement(By.cssSelector("#uploads .reason")).getText())
                .isNotBlank();
    }

    @Test
    @Order(3)
    void aPrivateArchiveIsInvisibleSignedOutAndVisibleSignedIn() throws Exception {
        open("/secret-stage");
        String hidden = browser.findElement(By.tagName("main")).getText();
        open("/no-such-stage");
        String missing = browser.findElement(By.tagName("main")).getText();
        assertThat(hidden.replace("secret-stage", "X")).isEqualTo(missing.replace("no-such-stage", "X"));
        assertThat(hidden).doesNotContain("secret-stage (").contains("Error 404");

        signIn(reader);
        assertThat(text("#signed-in-as")).isEqualTo("viewer");
        assertThat(text("#archives")).contains("secret-stage").contains("private");
        open("/secret-stage");
        assertThat(text("#packages")).contains("hello");
        signOut();
        open("/");
        assertThat(text("#archives")).doesNotContain("secret-stage");
    }

    private void signIn(String token) {
        open("/+signin");
        accessible();
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("signin-submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(d -> !d.findElements(By.id("signed-in-as")).isEmpty());
    }

    private void signOut() {
        browser.findElement(By.xpath("//button[text()='Sign out']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(d -> !d.findElements(By.id("sign-in-link")).isEmpty());
    }

    @Test
    @Order(4)
    void anAdminRotatesAKeyAfterConfirmingAndSeesTheNewFingerprint() throws Exception {
        open("/+signin");
        browser.findElement(By.id("token")).sendKeys("not-a-token-at-all-0123456789");
        browser.findElement(By.id("signin-submit")).click();
        assertThat(text("#signin-error")).isEqualTo("Unknown or revoked token.");

        signIn(admin);
        open("/+admin");
        accessible();
        screenshot("admin");
        String old = ppa.listKeys().archive("trunk").call().get(0).fingerprint();
        browser.findElement(By.id("rotate-trunk")).click();
        assertThat(text("#confirm-question")).startsWith("Rotate the signing key of trunk?");
        assertThat(ppa.listKeys().archive("trunk").call()).hasSize(1); // nothing happened before the confirmation
        browser.findElement(By.id("confirm-yes")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(d -> !d.findElements(By.id("keys-trunk")).isEmpty());
        var keys = ppa.listKeys().archive("trunk").call();
        assertThat(keys).hasSize(2);
        String fresh = keys.stream()
                .map(k -> k.fingerprint())
                .filter(f -> !f.equals(old))
                .findFirst()
                .orElseThrow();
        assertThat(text("#keys-trunk")).contains(old).contains(fresh);
        open("/trunk");
        assertThat(text("#keys")).contains(fresh);

        // A token made on the page is shown once and works.
        open("/+admin");
        browser.findElement(By.id("token-name")).sendKeys("made-in-browser");
        new Select(browser.findElement(By.id("token-role"))).selectByValue("reader");
        browser.findElement(By.id("create-token")).click();
        String secret = text("#new-token");
        assertThat(ppa.authenticate().token(secret).identify().name()).isEqualTo("made-in-browser");
    }

    @Test
    @Order(5)
    void aBuildLogIsFollowedWhileTheBuildRuns() throws Exception {
        Build b = builds.list().archive("trunk").source("webtool").limit(5).call().stream()
                .filter(x -> x.architecture().equals("amd64"))
                .findFirst()
                .orElseThrow();
        var lease = builds.lease()
                .worker("browser-test")
                .architectures(List.of("amd64"))
                .waitMillis(2000)
                .call()
                .orElseThrow();
        assertThat(lease.build().id()).isEqualTo(b.id());
        builds.logs().append(b.id(), "sbuild starts\n");
        open("/+builds/" + b.id());
        accessible();
        assertThat(text("#build-state")).isEqualTo(BuildState.BUILDING.label());
        assertThat(text("#build-log")).contains("sbuild starts");
        builds.logs().append(b.id(), "dpkg-buildpackage: info: source package webtool\n");
        new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(d -> d.findElement(By.id("build-log")).getText().contains("source package webtool"));
        screenshot("build");
        open("/+builds");
        accessible();
        screenshot("builds");
        assertThat(text("#builds")).contains("webtool").contains("building");
    }

    @Test
    @Order(6)
    void coverageShowsATrendChartAndTheLeastCoveredFiles() throws Exception {
        open("/+coverage/mytool");
        accessible();
        screenshot("coverage");
        assertThat(text("#coverage-summary")).startsWith("80.0 % of 5 lines at bbbb2222 (main)");
        WebElement chart = browser.findElement(By.cssSelector("svg#trend polyline"));
        assertThat(chart.getAttribute("points").split(" ")).hasSize(2);
        assertThat(text("#least")).contains("src/main.c").contains("1 of 4").contains("3");
        open("/+coverage");
        assertThat(text("#projects")).contains("mytool").contains("80.0 %");
    }

    @Test
    @Order(7)
    void theRebuildGridShowsVerdictsByRunAndOpensAResult() throws Exception {
        open("/+rebuilds/nightly"); // signed in as admin since test 4: the private archive is readable
        accessible();
        screenshot("rebuilds");
        WebElement grid = browser.findElement(By.id("rebuild-grid"));
        assertThat(grid.findElements(By.cssSelector("a.v-regression"))).hasSize(1);
        assertThat(grid.findElements(By.cssSelector("a.v-passed"))).hasSize(1);
        assertThat(grid.findElements(By.cssSelector("a.v-neutral"))).hasSize(1);
        grid.findElement(By.cssSelector("a.v-regression")).click();
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(d -> d.getCurrentUrl().endsWith("/hello"));
        assertThat(text("#rebuild-result")).contains("2.10-3~rebuild20261201.1").contains("FAIL (retried after FAIL)");
        assertThat(text("#rebuild-message")).contains("moved underneath: libc6 2.36-9 -> 2.36-10");
        open("/");
        assertThat(text("#archives")).contains("1 regression");
        browser.findElement(By.xpath("//button[text()='Sign out']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(d -> !d.findElements(By.id("sign-in-link")).isEmpty());
        open("/+rebuilds");
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("nightly");
    }

    /** The regression feed over HTTP, as a feed reader fetches it: valid Atom, its entries the set's results. */
    @Test
    @Order(20)
    void theAtomFeedIsServedOverHttpToThoseWhoMayReadTheSet() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> stranger = http.send(
                HttpRequest.newBuilder(URI.create(base + "/+rebuilds/nightly/atom.xml"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stranger.statusCode()).isEqualTo(404); // into a private archive: missing to visitors
        HttpResponse<String> signIn = http.send(
                HttpRequest.newBuilder(URI.create(base + "/+signin"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + reader))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<byte[]> feed = http.send(
                HttpRequest.newBuilder(URI.create(base + "/+rebuilds/nightly/atom.xml"))
                        .header("Cookie", cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(feed.statusCode()).isEqualTo(200);
        assertThat(feed.headers().firstValue("Content-Type")).hasValue("application/atom+xml; charset=utf-8");
        var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        org.w3c.dom.Document doc = factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(feed.body()));
        String atom = "http://www.w3.org/2005/Atom";
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("feed");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo(atom);
        var entries = doc.getElementsByTagNameNS(atom, "entry");
        List<String> titles = new java.util.ArrayList<>();
        for (int i = 0; i < entries.getLength(); i++) {
            titles.add(((org.w3c.dom.Element) entries.item(i))
                    .getElementsByTagNameNS(atom, "title")
                    .item(0)
                    .getTextContent());
        }
        assertThat(titles).contains("hello 2.10-3~rebuild20261202.2: regression");
        assertThat(new String(feed.body(), StandardCharsets.UTF_8))
                .contains("last good: 2.10-3~rebuild20261201.1 (2026-12-01 03:10 UTC)");
    }
}
