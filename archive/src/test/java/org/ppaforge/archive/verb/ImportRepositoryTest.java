package org.ppaforge.archive.verb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.common.ForgeException;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.testing.RealDebs;
import org.ppaforge.debian.testing.RealSources;
import org.ppaforge.debian.testing.Tools;

/**
 * {@code ppa import} of a real reprepro repository (real Debian .debs from the mirror, among them an epoch-less
 * {@code 0~...+dfsg} version, and a real source with several orig tarballs), signed by gpg and served over HTTP on
 * 127.0.0.1: the archive then publishes the same Packages and Sources entries. A repository signed by another key is
 * refused, and so is one whose file does not match its index; an interrupted import fetches only what it lacks when
 * run again; {@code --update} brings what changed, and removes only when asked.
 */
@Timeout(600)
class ImportRepositoryTest {
    @TempDir
    static Path shared;

    static Path repo;
    static Path gnupg;
    static String key;
    static String otherKey;
    static HttpServer server;
    static String url;
    static final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    static final Map<String, byte[]> tampered = new HashMap<>();

    @TempDir
    Path data;

    Ppaforge ppa;

    @BeforeAll
    static void repository() throws Exception {
        gnupg = shared.resolve("gnupg");
        key = Files.readString(Tools.gpgPublicKey(gnupg, "Repo <repo@example.org>", shared.resolve("repo.asc")));
        otherKey = Files.readString(Tools.gpgPublicKey(
                shared.resolve("gnupg-other"), "Other <other@example.org>", shared.resolve("o.asc")));
        repo = Files.createDirectories(shared.resolve("repo"));
        Files.createDirectories(repo.resolve("conf"));
        Files.writeString(repo.resolve("conf/distributions"), """
                Origin: Team
                Label: Team
                Suite: stable
                Codename: bookworm
                Architectures: amd64 source
                Components: main
                SignWith: repo@example.org
                """);
        for (Path deb : RealDebs.download(RealSources.defaultCache(), RealDebs.PACKAGES)) {
            reprepro("includedeb", "bookworm", deb.toString());
        }
        Path dsc = RealSources.dsc(
                RealSources.defaultCache(), RealSources.current(RealSources.defaultCache(), "freetype"));
        reprepro("-S", "libs", "-P", "optional", "includedsc", "bookworm", dsc.toString());

        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            String path = x.getRequestURI().getPath();
            requests.add(path);
            Path f = repo.resolve(path.substring(1)).normalize();
            byte[] body = tampered.get(path);
            if (body == null && f.startsWith(repo) && Files.isRegularFile(f)) {
                body = Files.readAllBytes(f);
            }
            if (body == null) {
                x.sendResponseHeaders(404, -1);
            } else {
                x.sendResponseHeaders(200, body.length);
                try (OutputStream out = x.getResponseBody()) {
                    out.write(body);
                }
            }
            x.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    static void reprepro(String... args) {
        List<String> cmd = new ArrayList<>(List.of("reprepro", "-b", repo.toString()));
        cmd.addAll(List.of(args));
        Tools.run(repo, null, Map.of("GNUPGHOME", gnupg.toString()), cmd).orFail("reprepro " + String.join(" ", args));
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @BeforeEach
    void open() {
        ppa = Ppaforge.open(data);
        ppa.createArchive()
                .name("trunk")
                .series(List.of("bookworm"))
                .architectures(List.of("amd64"))
                .call();
        requests.clear();
        tampered.clear();
    }

    @AfterEach
    void close() {
        ppa.close();
    }

    private ImportRepository importer() {
        return ppa.importRepository().from("deb " + url + " bookworm").key(key).into("trunk");
    }

    @Test
    void aSignedRepositoryIsImportedWithTheSamePackagesAndSources() throws Exception {
        ImportRepository.Result r = importer().withSources(true).call();

        assertThat(r.series()).isEqualTo("bookworm"); // the Release's Codename
        assertThat(r.signedBy()).contains("Repo <repo@example.org>");
        assertThat(r.skipped()).isEmpty();
        assertThat(r.published()).anyMatch(p -> p.startsWith("hello "));
        assertThat(r.published()).anyMatch(p -> p.startsWith("freetype ") && p.endsWith(" source"));
        sameEntries("main/binary-amd64/Packages", Set.of("MD5sum", "SHA1", "SHA512", "Description-md5"));
        sameEntries(
                "main/source/Sources", Set.of("Files", "Checksums-Sha1", "Checksums-Sha512", "Priority", "Section"));
        assertThat(ppa.history().archive("trunk").source("hello").call().get(0).origin())
                .isEqualTo("import from deb " + url.replaceAll("/$", "") + " bookworm");

        // Nothing changed upstream: an update fetches nothing and publishes nothing.
        requests.clear();
        ImportRepository.Result again =
                importer().withSources(true).update(true).call();
        assertThat(again.fetched()).isZero();
        assertThat(again.published()).isEmpty();
        assertThat(again.unchanged()).isEqualTo(again.listed());
        assertThat(requests).noneMatch(p -> p.startsWith("/pool/"));

        // A second import without --update is refused, saying why.
        assertThatThrownBy(() -> importer().call())
                .isInstanceOf(ForgeException.class)
                .hasMessageContaining("--update");
    }

    /** Every entry of the repository's index is in the archive's, field for field (but the listed ones). */
    private void sameEntries(String index, Set<String> ignored) throws IOException {
        Map<String, Stanza> theirs = byName(repo.resolve("dists/bookworm/" + index));
        Map<String, Stanza> ours = byName(ppa.publishRoot().resolve("trunk/dists/bookworm/" + index));
        assertThat(ours.keySet()).isEqualTo(theirs.keySet());
        for (var e : theirs.entrySet()) {
            Stanza o = ours.get(e.getKey());
            for (String field : e.getValue().names()) {
                if (!ignored.contains(field)) { // a list of files in any order
                    assertThat(lines(o.get(field)))
                            .as(index + ": " + e.getKey() + " " + field)
                            .isEqualTo(lines(e.getValue().get(field)));
                }
            }
        }
    }

    private static Set<String> lines(String value) {
        return value == null
                ? null
                : new java.util.TreeSet<>(
                        Stream.of(value.strip().split("\n")).map(String::strip).toList());
    }

    private static Map<String, Stanza> byName(Path index) throws IOException {
        Map<String, Stanza> out = new TreeMap<>();
        String text;
        if (Files.exists(index)) {
            text = Files.readString(index);
        } else { // reprepro writes Sources only compressed
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(Path.of(index + ".gz")))) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        for (Stanza s : Deb822Reader.parse(text, index.toString())) {
            out.put(s.get("Package") + " " + s.get("Version") + " " + s.get("Architecture"), s);
        }
        return out;
    }

    @Test
    void aRepositorySignedWithAnotherKeyIsRefusedAndNothingChanges() {
        assertThatThrownBy(() -> importer().key(otherKey).call())
                .isInstanceOf(ArchiveException.class)
                .satisfies(e -> assertThat(((ArchiveException) e).kind()).isEqualTo(ForgeException.Kind.REFUSED))
                .hasMessageContaining("InRelease");
        assertThat(ppa.list().archive("trunk").call()).isEmpty();
        assertThat(requests).noneMatch(p -> p.startsWith("/pool/") || p.contains("Packages"));
    }

    @Test
    void aFileThatDoesNotMatchItsIndexIsRefusedAndARunAgainFetchesOnlyWhatItLacks() throws Exception {
        List<String> pool;
        try (Stream<Path> files = Files.walk(repo.resolve("pool"))) {
            pool = files.filter(Files::isRegularFile)
                    .map(f -> "/" + repo.relativize(f))
                    .filter(p -> p.endsWith(".deb"))
                    .sorted()
                    .toList();
        }
        // The last .deb in the import's order (by package name) is served changed.
        String last = pool.stream().filter(p -> p.contains("/sl_")).findFirst().orElseThrow();
        byte[] real = Files.readAllBytes(repo.resolve(last.substring(1)));
        byte[] bad = real.clone();
        bad[bad.length / 2] ^= 1;
        tampered.put(last, bad);

        assertThatThrownBy(() -> importer().threads(1).call())
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining(last)
                .hasMessageContaining("SHA-256");
        assertThat(ppa.list().archive("trunk").call()).isEmpty();
        long first = requests.stream().filter(p -> p.endsWith(".deb")).count();
        assertThat(first).isEqualTo(pool.size()); // every .deb was fetched once, the bad one last

        tampered.clear();
        requests.clear();
        ImportRepository.Result r = importer().threads(1).call();
        assertThat(requests.stream().filter(p -> p.endsWith(".deb")).toList()).containsExactly(last);
        assertThat(r.published()).hasSize(pool.size());
        assertThat(r.fetched()).isEqualTo(pool.size()); // listed as fetched; those already here checked, not fetched
    }

    @Test
    void anUpdateBringsWhatChangedAndRemovesOnlyWhenAsked() throws Exception {
        ImportRepository.Result first =
                importer().packages(List.of("hello", "sl")).call();
        assertThat(first.published()).hasSize(2);
        assertThat(ppa.list().archive("trunk").call())
                .extracting(ListPackages.Entry::source)
                .containsExactlyInAnyOrder("hello", "sl");

        Path extra = Files.createDirectories(shared.resolve("extra"));
        Path newer = RealDebs.build(extra, "hello", "99.0-1", "amd64", "xz");
        Path snapshot = shared.resolve("repo-before-update");
        Tools.run(shared, "cp", "-a", repo.toString(), snapshot.toString()).orFail("cp");
        try {
            reprepro("includedeb", "bookworm", newer.toString());
            reprepro("remove", "bookworm", "sl");

            ImportRepository.Result kept =
                    importer().packages(List.of("hello", "sl")).update(true).call();
            assertThat(kept.published()).containsExactly("hello 99.0-1 (amd64)");
            assertThat(kept.removed()).isEmpty();
            assertThat(ppa.list().archive("trunk").call())
                    .extracting(ListPackages.Entry::source)
                    .containsExactlyInAnyOrder("hello", "sl");

            ImportRepository.Result dry = importer()
                    .packages(List.of("hello", "sl"))
                    .update(true)
                    .removeMissing(true)
                    .dryRun(true)
                    .call();
            assertThat(dry.removed()).containsExactly("sl");
            assertThat(ppa.list().archive("trunk").call()).hasSize(2);

            ImportRepository.Result removed = importer()
                    .packages(List.of("hello", "sl"))
                    .update(true)
                    .removeMissing(true)
                    .call();
            assertThat(removed.removed()).containsExactly("sl");
            assertThat(ppa.list().archive("trunk").call())
                    .extracting(ListPackages.Entry::source)
                    .containsExactly("hello");
        } finally {
            Tools.run(shared, "rm", "-rf", repo.toString()).orFail("rm");
            Tools.run(shared, "mv", snapshot.toString(), repo.toString()).orFail("mv");
        }
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingIsFetched() {
        assertThatThrownBy(() -> ppa.importRepository()
                        .from("deb ftp://x bookworm")
                        .key(key)
                        .into("trunk")
                        .call())
                .hasMessageContaining("deb URL SUITE");
        assertThatThrownBy(() -> ppa.importRepository()
                        .from("deb " + url + " bookworm")
                        .into("trunk")
                        .call())
                .hasMessageContaining("--key");
        assertThatThrownBy(() -> importer().packages(List.of("../x")).call()).hasMessageContaining("package name");
        assertThatThrownBy(() -> importer().removeMissing(true).call()).hasMessageContaining("--update");
        assertThatThrownBy(() -> importer().into("nothere").call()).hasMessageContaining("nothere");
        assertThatThrownBy(() -> importer().series("trixie").call()).hasMessageContaining("trixie");
        assertThat(requests).noneMatch(p -> p.startsWith("/pool/"));
    }
}
