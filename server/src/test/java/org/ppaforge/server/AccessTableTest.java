package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.client.Clients;
import org.ppaforge.client.http.HttpTransport;
import org.ppaforge.client.wire.ArchiveRequests;
import org.ppaforge.common.ForgeException;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.deb.DebWriter;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.qa.rebuild.RebuildSetRequest;

/**
 * Who may do what, decided by the verbs: every role (anonymous, reader of the private archive, uploader of it, uploader
 * of all archives, worker, admin) × every access-checked verb × a public and a private archive, called on the modules
 * directly (the local clients with that caller) and through HTTP (the API with that token). Both must give the same
 * answer, and that answer must be the expected one: allowed (the verb ran, or refused for a reason of its own), the
 * same 404 a missing archive gets, 403 with the reason, or 401.
 */
@Timeout(300)
class AccessTableTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private enum Need {
        READ,
        WRITE,
        ADMIN,
        NONE
    }

    private record Verb(String name, Need need, Call call) {}

    @FunctionalInterface
    private interface Call {
        Object on(Clients c, String archive) throws Exception;
    }

    private static List<Verb> verbs(Path deb) {
        List<Verb> v = new ArrayList<>();
        v.add(new Verb("archive show", Need.READ, (c, a) -> c.archive().showArchive(a)));
        v.add(new Verb("list", Need.READ, (c, a) -> c.archive().list(a, null)));
        v.add(new Verb("history", Need.READ, (c, a) -> c.archive().history(a, "tool")));
        v.add(new Verb("key list", Need.READ, (c, a) -> c.archive().listKeys(a)));
        v.add(new Verb("key export", Need.READ, (c, a) -> c.archive().exportKey(a, null)));
        v.add(new Verb(
                "sources", Need.READ, (c, a) -> c.archive().aptSources(a, "http://apt.example.org", null, true, null)));
        v.add(new Verb("uploader list", Need.READ, (c, a) -> c.archive().listUploaders(a)));
        v.add(new Verb("uploads", Need.READ, (c, a) -> c.archive().uploads(a, 5)));
        v.add(new Verb("skew", Need.READ, (c, a) -> c.archive().skew(List.of(a), null)));
        v.add(new Verb("build list", Need.READ, (c, a) -> c.farm().list(a, null, null, 10)));
        v.add(new Verb(
                "include",
                Need.WRITE,
                (c, a) -> c.archive()
                        .include(new ArchiveRequests.Include(a, null, null, false, false), List.of(deb), null)));
        v.add(new Verb("publish", Need.WRITE, (c, a) -> c.archive().publish(a, null)));
        v.add(new Verb(
                "remove",
                Need.WRITE,
                (c, a) -> c.archive().remove(a, new ArchiveRequests.Remove("not-there", null, "access table"))));
        v.add(new Verb(
                "copy into",
                Need.WRITE,
                (c, a) ->
                        c.archive().copy(new ArchiveRequests.Copy(List.of("not-there"), "pub", a, null, null, false))));
        v.add(new Verb(
                "sync (dry run)",
                Need.READ,
                (c, a) -> c.archive()
                        .sync(new ArchiveRequests.Sync("pub", a, null, true, false, false, null), plan -> {})));
        v.add(new Verb(
                "sync into",
                Need.WRITE,
                (c, a) -> c.archive()
                        .sync(new ArchiveRequests.Sync("pub", a, null, false, false, false, null), plan -> {})));
        v.add(new Verb(
                "archive set",
                Need.ADMIN,
                (c, a) -> c.archive()
                        .configure(a, new ArchiveRequests.Settings(null, "Label", null, null, null, null, null))));
        v.add(new Verb("key generate", Need.ADMIN, (c, a) -> c.archive().generateKey(a, "ed25519", null)));
        v.add(new Verb("key retire", Need.ADMIN, (c, a) -> c.archive().retireKey(a, "0123456789ABCDEF")));
        v.add(new Verb("uploader remove", Need.ADMIN, (c, a) -> c.archive().removeUploader(a, "0123456789ABCDEF")));
        v.add(new Verb("dependencies set", Need.ADMIN, (c, a) -> c.farm().setDependencies(a, List.of(), null, null)));
        v.add(new Verb("token list", Need.ADMIN, (c, a) -> c.archive().listTokens()));
        v.add(new Verb(
                "archive create",
                Need.ADMIN,
                (c, a) -> c.archive()
                        .createArchive(new ArchiveRequests.CreateArchive(
                                a + "-new", null, List.of("noble"), null, List.of("amd64"), "none"))));
        v.add(new Verb(
                "rebuild create",
                Need.ADMIN,
                (c, a) -> c.rebuilds()
                        .create(new RebuildSetRequest(
                                a + "-set", "pub", null, List.of("tool"), a, null, null, null, null))));
        v.add(new Verb(
                "pipeline create",
                Need.ADMIN,
                (c, a) -> c.pipelines().create(a + "-pipeline", "https://git.example.org/" + a + ".git", null, null)));
        v.add(new Verb("rebuild list", Need.NONE, (c, a) -> c.rebuilds().list().size()));
        v.add(new Verb(
                "archive list",
                Need.NONE,
                (c, a) -> c.archive().listArchives().stream()
                        .map(s -> s.archive().name())
                        .toList()));
        return v;
    }

    @Test
    void everyRoleGetsTheSameAnswerFromTheModulesAndOverHttpAndTheExpectedOne() throws Exception {
        Path deb = work.resolve("tool_1.0_all.deb");
        Files.write(
                deb,
                new DebWriter(Deb822Reader.parseSingle(
                                "Package: tool\nVersion: 1.0\nArchitecture: all\nMaintainer: t <t@example.org>\n"
                                        + "Description: t\n t\n",
                                "test"))
                        .file("usr/share/doc/tool/README", "t\n".getBytes(StandardCharsets.UTF_8))
                        .toBytes());
        try (Forge forge = Forge.open(ForgeConfig.of(data)).openAll();
                PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
            Ppaforge ppa = forge.archive();
            for (String a : List.of("pub", "priv")) {
                ppa.createArchive()
                        .name(a)
                        .series(List.of("noble"))
                        .architectures(List.of("amd64"))
                        .call();
            }
            ppa.configureArchive().archive("priv").privateArchive(true).call();
            Map<String, String> roles = new LinkedHashMap<>();
            roles.put("anonymous", null);
            roles.put("reader of priv", secret(ppa, "r", "reader", "priv"));
            roles.put("uploader of priv", secret(ppa, "u", "uploader", "priv"));
            roles.put("uploader of all", secret(ppa, "ua", "uploader", null));
            roles.put("worker", secret(ppa, "w", "worker", null));
            roles.put("admin", secret(ppa, "adm", "admin", null));
            String url = "http://127.0.0.1:" + server.port();
            String missing = outcome(() -> ppa.list().archive("nope").call());

            SoftAssertions soft = new SoftAssertions();
            int cells = 0;
            for (Verb verb : verbs(deb)) {
                for (String archive : List.of("pub", "priv")) {
                    for (Map.Entry<String, String> role : roles.entrySet()) {
                        Clients local = forge.clients(Caller.token(role.getValue()));
                        Clients http = Clients.http(new HttpTransport(url, role.getValue(), null));
                        String here = outcome(() -> verb.call().on(local, archive));
                        String there =
                                outcome(() -> verb.call().on(http, archive)).replace("server " + url + ": ", "");
                        String cell = verb.name() + " × " + archive + " × " + role.getKey();
                        String missingHere = missing.replace("nope", archive);
                        String expected = expected(verb.need(), archive, role.getKey());
                        soft.assertThat(category(here, missingHere))
                                .as(cell + " on the modules: " + here)
                                .isEqualTo(expected);
                        soft.assertThat(category(there, missingHere))
                                .as(cell + " over HTTP: " + there)
                                .isEqualTo(expected);
                        if (!expected.equals("ALLOWED")) { // a refusal: the same words both ways
                            soft.assertThat(there)
                                    .as(cell + " (HTTP = modules)")
                                    .isEqualTo(here);
                        }
                        cells++;
                    }
                }
            }
            soft.assertAll();
            assertThat(cells).isEqualTo(verbs(deb).size() * 2 * roles.size());
            // A rebuild set into the private archive: missing to whoever may not read it, on both paths.
            forge.qa().rebuilds().create(RebuildSetRequest.of("hidden-set", "pub", List.of("tool"), "priv"));
            for (Clients c :
                    List.of(forge.clients(Caller.anonymous()), Clients.http(new HttpTransport(url, null, null)))) {
                assertThat(c.rebuilds().list()).extracting(x -> x.name()).doesNotContain("hidden-set");
                String refused = outcome(() -> c.rebuilds().runs("hidden-set", 5));
                assertThat(refused).endsWith("there is no rebuild set 'hidden-set'");
            }
            assertThat(forge.clients(Caller.token(roles.get("reader of priv")))
                            .rebuilds()
                            .list())
                    .extracting(x -> x.name())
                    .contains("hidden-set");
            // Listing archives: a private archive only for tokens that may read it, on both paths.
            for (Clients c :
                    List.of(forge.clients(Caller.anonymous()), Clients.http(new HttpTransport(url, null, null)))) {
                assertThat(c.archive().listArchives())
                        .extracting(x -> x.archive().name())
                        .contains("pub")
                        .doesNotContain("priv");
            }
            for (Clients c : List.of(
                    forge.clients(Caller.token(roles.get("reader of priv"))),
                    Clients.http(new HttpTransport(url, roles.get("reader of priv"), null)))) {
                assertThat(c.archive().listArchives())
                        .extracting(x -> x.archive().name())
                        .contains("pub", "priv");
            }
        }
    }

    private static String secret(Ppaforge ppa, String name, String role, String archive) {
        return ppa.createToken().name(name).role(role).archive(archive).call().secret();
    }

    /** What the table expects: the roles of this test against what the verb needs. */
    private static String expected(Need need, String archive, String role) {
        boolean anonymous = role.equals("anonymous");
        return switch (need) {
            case NONE -> "ALLOWED";
            case READ -> archive.equals("pub") || !anonymous ? "ALLOWED" : "MISSING";
            case WRITE ->
                anonymous
                        ? "UNAUTHORIZED"
                        : role.equals("admin")
                                        || role.equals("uploader of all")
                                        || (role.equals("uploader of priv") && archive.equals("priv"))
                                ? "ALLOWED"
                                : "FORBIDDEN";
            case ADMIN -> anonymous ? "UNAUTHORIZED" : role.equals("admin") ? "ALLOWED" : "FORBIDDEN";
        };
    }

    /** Allowed (a result, or a refusal of the verb's own), the missing archive's 404, 403 or 401. */
    private static String category(String outcome, String missingArchive) {
        if (outcome.equals(missingArchive)) {
            return "MISSING";
        }
        if (outcome.startsWith("UNAUTHORIZED: ")) {
            return "UNAUTHORIZED";
        }
        if (outcome.startsWith("FORBIDDEN: ")) {
            return "FORBIDDEN";
        }
        return "ALLOWED";
    }

    @FunctionalInterface
    private interface Attempt {
        Object run() throws Exception;
    }

    private static String outcome(Attempt a) {
        try {
            Object r = a.run();
            return "ok: " + r;
        } catch (ForgeException e) {
            return e.kind() + ": " + e.getMessage();
        } catch (Exception e) {
            return "unexpected " + e;
        }
    }
}
