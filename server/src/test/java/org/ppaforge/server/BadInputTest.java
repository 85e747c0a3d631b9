package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.testing.AptClient;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.deb.DebWriter;
import org.ppaforge.debian.deb.UnpackLimits;
import org.ppaforge.debian.testing.RealDebs;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * One bad file per class through the API include: each gets a 4xx naming the problem, never a 500, and the archive
 * is as it was; a .deb that carries the archive's own fields is published with the archive's values only, and apt
 * (the real one) still reads the archive.
 */
class BadInputTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private Forge forge;

    Ppaforge ppa;
    PpaServer server;
    String base;
    String token;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        forge = Forge.open(ForgeConfig.of(data));
        ppa = forge.archive();
        ppa.createArchive()
                .name("trunk")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(RealDebs.build(work, "good", "1.0", "amd64", "xz")))
                .call();
        token = ppa.createToken()
                .name("ci")
                .role("uploader")
                .archive("trunk")
                .call()
                .secret();
        server = new PpaServer(forge, "127.0.0.1", 0).start();
        base = "http://127.0.0.1:" + server.port();
    }

    /** The server again, on the same data directory, with other settings (limits are fixed when the forge opens). */
    private void restart(ArchiveSettings settings) throws Exception {
        server.close();
        forge.close();
        forge = Forge.open(ForgeConfig.of(data).withArchive(settings));
        ppa = forge.archive();
        server = new PpaServer(forge, "127.0.0.1", 0).start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        forge.close();
    }

    private HttpResponse<String> include(Path... files) throws Exception {
        String boundary = "b" + UUID.randomUUID();
        return http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/archives/trunk/include?series=noble"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .header("Authorization", "Bearer " + token)
                        .POST(Multipart.files(boundary, files))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(work.resolve(name), bytes);
    }

    private static DebWriter deb(String extraFields) {
        return new DebWriter(Deb822Reader.parseSingle(
                "Package: evil\nVersion: 1.0\nArchitecture: all\nMaintainer: x <x@example.org>\n" + extraFields
                        + "Description: d\n",
                "test"));
    }

    @Test
    void eachBadFileGetsA400NamingItAndChangesNothing() throws Exception {
        restart(ArchiveSettings.of(data).withUnpackLimits(new UnpackLimits(1L << 30, 200, 1 << 20, 10_000)));
        Path bigControl = work.resolve("big");
        Files.createDirectories(bigControl.resolve("DEBIAN"));
        Files.writeString(
                bigControl.resolve("DEBIAN/control"),
                "Package: big\nVersion: 1.0\nArchitecture: all\n" + "Maintainer: x <x@example.org>\nDescription: d\n "
                        + "a".repeat(2 << 20) + "\n");
        Tools.run(
                        work,
                        "dpkg-deb",
                        "--root-owner-group",
                        "--build",
                        bigControl.toString(),
                        work.resolve("big_1.0_all.deb").toString())
                .orFail("dpkg-deb");
        List<Object[]> cases = List.of(
                new Object[] {write("empty_1.0_all.deb", new byte[0]), "the file is empty"},
                new Object[] {write("junk_1.0_all.deb", "not a package".getBytes()), "no ar archive signature"},
                new Object[] {work.resolve("big_1.0_all.deb"), "at most " + UnpackLimits.MAX_CONTROL_FILE},
                new Object[] {
                    write(
                            "bomb_1.0_all.deb",
                            deb("").file("usr/share/zeros", new byte[64 << 20]).toBytes()),
                    "decompression bomb"
                },
                new Object[] {
                    write(
                            "forged_1.0_all.deb",
                            deb("").file("usr/bin/a\nusr/bin/forged   admin/evil", new byte[1])
                                    .toBytes()),
                    "control character"
                },
                new Object[] {
                    write(
                            "climb_1.0_all.deb",
                            deb("").file("usr/../../etc/cron.d/x", new byte[1]).toBytes()),
                    "'..' segment"
                },
                new Object[] {write("x".repeat(230) + ".deb", new byte[1]), "at most 200"},
                // GNU long names: one of 100 KB (on the old code 600 of them were accepted, and every later publish of
                // the
                // archive ran out of memory rendering Contents) and, in all, more path bytes than an index can carry.
                new Object[] {
                    write(
                            "longname_1.0_all.deb",
                            deb("").file("usr/share/" + "n".repeat(5_000), new byte[1])
                                    .toBytes()),
                    "at most 4096 (PATH_MAX)"
                },
                // Relation fields apt cannot parse: each broke apt-get update for the whole archive on the old code.
                new Object[] {
                    write(
                            "r1_1.0_all.deb",
                            deb("Depends: libc6 (>= 2.0), evil (<< 1.0\n").toBytes()),
                    "field Depends: invalid relation 'evil (<< 1.0'"
                },
                new Object[] {
                    write("r2_1.0_all.deb", deb("Provides: foo (= )\n").toBytes()), "field Provides:"
                },
                new Object[] {
                    write("r3_1.0_all.deb", deb("Pre-Depends: a | | b\n").toBytes()), "field Pre-Depends:"
                },
                new Object[] {
                    write("r4_1.0_all.deb", deb("Recommends: foo [amd64\n").toBytes()), "field Recommends:"
                },
                new Object[] {
                    write("r5_1.0_all.deb", deb("Breaks: foo (>= 1.0~~!)\n").toBytes()), "field Breaks: invalid version"
                },
                new Object[] {
                    write("r6_1.0_all.deb", deb("Conflicts: Foo_Bar\n").toBytes()), "field Conflicts: invalid"
                },
                new Object[] {
                    write("r7_1.0_all.deb", deb("Depends: foo [amd64]\n").toBytes()),
                    "architecture lists and build profiles belong in a source package"
                },
                new Object[] {
                    write("r8_1.0_all.deb", deb("Provides: foo (>= 1)\n").toBytes()), "only '=' is allowed in Provides"
                });
        String before = Files.readString(data.resolve("public/trunk/dists/noble/InRelease"));
        // A .dsc as large as an upload may be is refused before it is read whole (it would be held while parsed).
        HttpResponse<String> hugeDsc =
                include(write("huge_1.0-1.dsc", ("Source: huge\nComment: " + "x".repeat(5 << 20) + "\n").getBytes()));
        assertThat(hugeDsc.statusCode()).as(hugeDsc.body()).isEqualTo(413);
        assertThat(hugeDsc.body()).contains("a .dsc or .changes is at most 4 MiB");
        for (Object[] c : cases) {
            HttpResponse<String> r = include((Path) c[0]);
            assertThat(r.statusCode()).as(c[0] + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).as(c[0].toString()).contains((String) c[1]);
        }
        assertThat(ppa.list().archive("trunk").call())
                .extracting(e -> e.source())
                .containsExactly("good");
        assertThat(Files.readString(data.resolve("public/trunk/dists/noble/InRelease")))
                .isEqualTo(before);
    }

    /** Malformed multipart bodies: each a 400 naming the problem (an empty boundary and a truncated body were 500s). */
    @Test
    void malformedMultipartBodiesGet400() throws Exception {
        String part = "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a_1.0_all.deb\"\r\n\r\nabc";
        Object[][] cases = {
            {"multipart/form-data; boundary=", part, "boundary of 1 to 70 characters"},
            {"multipart/form-data", part, "boundary of 1 to 70 characters"},
            {"multipart/form-data; boundary=" + "b".repeat(200), part, "boundary of 1 to 70 characters"},
            {"multipart/form-data; boundary=xyz", part, "malformed multipart/form-data body"},
            {"multipart/form-data; boundary=xyz", "no parts at all", "malformed multipart/form-data body"},
            {"text/plain", "x", "send the files as multipart/form-data"}
        };
        for (Object[] c : cases) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/archives/trunk/include?series=noble"))
                            .header("Content-Type", (String) c[0])
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.ofString((String) c[1]))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(c[0] + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).as((String) c[0]).contains((String) c[2]);
        }
        try (var left = Files.list(data.resolve("tmp"))) {
            assertThat(left).as("the requests' directories are gone").isEmpty();
        } catch (NoSuchFileException e) {
            // no work directory at all: nothing left either
        }
    }

    @Test
    void validRelationsOfEveryShapeAreAcceptedAndAptReadsThem() throws Exception {
        Path ok = write(
                "rel_1.0_all.deb",
                deb("Depends: libc6 (>= 2.34), foo | bar:any, baz (<< 2:1.0~rc1+dfsg-1)\n"
                                + "Provides: qux (= 1.0), quux\nBreaks: old (<< 1.0)\nPre-Depends: dpkg (>= 1.15.6~)\n"
                                + "Built-Using: gcc-12 (= 12.2.0-14)\n")
                        .file("usr/share/doc/rel/README", "x".getBytes())
                        .toBytes());
        HttpResponse<String> r = include(ok);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        AptClient apt = new AptClient(
                work.resolve("apt"), ppa.aptSources().archive("trunk").url(base).call());
        apt.update().orFail("apt-get update");
        assertThat(apt.run("apt-cache", "show", "evil").orFail("apt-cache show").out())
                .contains("foo | bar:any");
    }

    @Test
    void archiveOwnedFieldsInADebAreReplacedByTheArchivesOwnAndAptStillReads() throws Exception {
        Path forged = write(
                "forged_1.0_all.deb",
                deb("Filename: pool/evil.deb\nSize: 1\nMD5sum: 00000000000000000000000000000000\n"
                                + "SHA256: 0000000000000000000000000000000000000000000000000000000000000000\nSHA1: 0\n  continued\n"
                                + "Description-md5: 0\n")
                        .file("usr/share/doc/evil/README", "x".getBytes())
                        .toBytes());
        HttpResponse<String> r = include(forged);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String packages = Files.readString(data.resolve("public/trunk/dists/noble/main/binary-amd64/Packages"));
        String stanza = packages.substring(packages.indexOf("Package: evil"));
        stanza = stanza.substring(0, stanza.indexOf("\n\n") + 1);
        for (String field : List.of("Filename:", "Size:", "MD5sum:", "SHA1:", "SHA256:")) {
            assertThat(stanza.lines().filter(l -> l.startsWith(field)).count())
                    .as(field + " in\n" + stanza)
                    .isEqualTo(1);
        }
        assertThat(stanza)
                .doesNotContain("pool/evil.deb")
                .doesNotContain("Size: 1\n")
                .doesNotContain("continued")
                .doesNotContain("Description-md5");
        AptClient apt = new AptClient(
                work.resolve("apt"), ppa.aptSources().archive("trunk").url(base).call());
        apt.update().orFail("apt-get update");
        apt.run("apt-get", "download", "evil").orFail("apt-get download evil (checks Size and SHA256)");
    }

    @Test
    void aPathInSeveralPackagesIsOneContentsLine() throws Exception {
        Path a = write(
                "one_1.0_all.deb",
                new DebWriter(Deb822Reader.parseSingle(
                                "Package: one\nVersion: 1.0\nArchitecture: all\n"
                                        + "Maintainer: x <x@example.org>\nSection: utils\nDescription: d\n",
                                "t"))
                        .file("usr/bin/shared", new byte[1])
                        .file("usr/bin/only-one", new byte[1])
                        .toBytes());
        Path b = write(
                "two_1.0_all.deb",
                new DebWriter(Deb822Reader.parseSingle(
                                "Package: two\nVersion: 1.0\nArchitecture: all\n"
                                        + "Maintainer: x <x@example.org>\nSection: admin\nDescription: d\n",
                                "t"))
                        .file("usr/bin/shared", new byte[1])
                        .toBytes());
        assertThat(include(a, b).statusCode()).isEqualTo(200);
        String contents;
        try (var in = new GZIPInputStream(
                Files.newInputStream(data.resolve("public/trunk/dists/noble/main/Contents-amd64.gz")))) {
            contents = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(contents.lines().filter(l -> l.startsWith("usr/bin/shared ")).toList())
                .singleElement()
                .satisfies(l -> assertThat(l.split("\\s+")[1]).isEqualTo("utils/one,admin/two"));
        assertThat(contents.lines()
                        .filter(l -> l.startsWith("usr/bin/only-one "))
                        .toList())
                .singleElement()
                .satisfies(l -> assertThat(l.split("\\s+")[1]).isEqualTo("utils/one"));
    }
}
