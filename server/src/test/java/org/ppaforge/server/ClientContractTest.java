package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.verb.History;
import org.ppaforge.client.Clients;
import org.ppaforge.client.http.HttpTransport;
import org.ppaforge.client.wire.ArchiveRequests;
import org.ppaforge.client.wire.FarmRequests;
import org.ppaforge.client.wire.Json;
import org.ppaforge.common.ForgeException;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.deb.DebWriter;
import org.ppaforge.farm.BuildState;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.qa.rebuild.RebuildSetRequest;

/**
 * The contract between the two client implementations: one scenario per verb (archives, settings, keys, include, list,
 * copy, sync, skew, remove, history, publish, sources, uploaders, uploads, tokens, builds, chroots, pipelines, coverage,
 * rebuilds) runs in this process (the local clients of one forge) and over HTTP (a real server over another forge, an
 * admin token), and every step must give the same result or the same failure: the same kind (so the same exit status
 * and HTTP status) and the same message (the HTTP client names the server first). Values that differ by nature are
 * masked: times, durations, key fingerprints and armour, token secrets, the data directories, the server's URL.
 */
@Timeout(300)
class ClientContractTest {
    @TempDir
    Path work;

    /** What differs between two runs of the same verb by nature. */
    private static final Set<String> VOLATILE = Set.of(
            "createdAt",
            "created",
            "updatedAt",
            "at",
            "queuedAt",
            "startedAt",
            "finishedAt",
            "uploadedAt",
            "revokedAt",
            "lastUsedAt",
            "expiresAt",
            "fingerprint",
            "keyFingerprint",
            "signedBy",
            "secret",
            "millis",
            "key",
            "keyId",
            "tree",
            "path",
            "certifiedBy",
            "addedAt",
            // Who did it: the local operator's system user in process, the token's name over HTTP (checked below).
            "createdBy",
            "deletedBy");

    /** One step of the scenario: what it calls on the clients. */
    private record Step(String name, Call call) {}

    @FunctionalInterface
    private interface Call {
        Object on(Clients c) throws Exception;
    }

    @Test
    void everyVerbGivesTheSameResultsAndFailuresInProcessAndOverHttp() throws Exception {
        Path deb = work.resolve("hello-contract_1.0-1_all.deb");
        Files.write(
                deb,
                new DebWriter(Deb822Reader.parseSingle(
                                "Package: hello-contract\nVersion: 1.0-1\nArchitecture: all\n"
                                        + "Maintainer: c <c@example.org>\nDescription: contract\n x\n",
                                "test"))
                        .file("usr/share/doc/hello-contract/README", "hi\n".getBytes(StandardCharsets.UTF_8))
                        .toBytes());
        Path lcov = Files.writeString(work.resolve("c.info"), "SF:src/a.c\nDA:1,1\nDA:2,0\nDA:3,1\nend_of_record\n");
        String commit = "0123456789abcdef0123456789abcdef01234567";
        List<Step> scenario = scenario(deb, lcov, commit);

        Path localData = work.resolve("local");
        Path remoteData = work.resolve("remote");
        List<String> local;
        List<String> remote;
        String url;
        try (Forge forge = Forge.open(ForgeConfig.of(localData))) {
            forge.archive().createToken().name("admin").role("admin").call(); // both sides list the same tokens
            local = run(scenario, forge.clients(), localData, null);
        }
        try (Forge forge = Forge.open(ForgeConfig.of(remoteData)).openAll();
                PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
            String admin = forge.archive()
                    .createToken()
                    .name("admin")
                    .role("admin")
                    .call()
                    .secret();
            url = "http://127.0.0.1:" + server.port();
            remote = run(scenario, Clients.http(new HttpTransport(url, admin, null)), remoteData, url);
            // Over HTTP the history names the token that made each change.
            assertThat(forge.archive()
                            .history()
                            .archive("trunk")
                            .source("hello-contract")
                            .call())
                    .extracting(History.Entry::createdBy)
                    .isNotEmpty()
                    .containsOnly("token 'admin'");
        }
        SoftAssertions soft = new SoftAssertions();
        for (int i = 0; i < scenario.size(); i++) {
            soft.assertThat(remote.get(i)).as(scenario.get(i).name()).isEqualTo(local.get(i));
        }
        soft.assertAll();
        // The scenario did reach every module, and failed where it should.
        assertThat(local).anyMatch(o -> o.startsWith("NOT_FOUND: "));
        assertThat(local).anyMatch(o -> o.startsWith("REFUSED: "));
        assertThat(local).anyMatch(o -> o.startsWith("INVALID: "));
        assertThat(local.stream()
                        .filter(o -> o.startsWith("{") || o.startsWith("["))
                        .count())
                .isGreaterThan(scenario.size() / 2);
    }

    /** What runs only on the server's machine is refused over HTTP, saying where to run it; here it does its work. */
    @Test
    void localOnlyVerbsAreRefusedOverHttpWithWhereToRunThem() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(work.resolve("data"))).openAll();
                PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
            String admin = forge.archive()
                    .createToken()
                    .name("admin")
                    .role("admin")
                    .call()
                    .secret();
            Clients http = Clients.http(new HttpTransport("http://127.0.0.1:" + server.port(), admin, null));
            var request = new FarmRequests.CreateChroot("Bad!", "amd64", null, null, null, null, null);
            assertThatThrownBy(() -> http.farm().createChroot(request, l -> {}))
                    .isInstanceOf(ForgeException.class)
                    .hasMessageContaining("run 'ppa chroot create' there, without --server");
            assertThatThrownBy(() -> http.archive().importKey("trunk", new byte[0], "k.asc"))
                    .hasMessageContaining("a secret key is imported on the server's machine only");
            // Here the verb itself answers: the series is checked first.
            assertThatThrownBy(() -> forge.clients().farm().createChroot(request, l -> {}))
                    .isInstanceOf(ForgeException.class)
                    .hasMessage("invalid series 'Bad!'");
        }
    }

    private static List<Step> scenario(Path deb, Path lcov, String commit) {
        List<Step> s = new ArrayList<>();
        // Archives and their settings.
        s.add(new Step(
                "archive create",
                c -> c.archive()
                        .createArchive(new ArchiveRequests.CreateArchive(
                                "trunk", "daily", List.of("noble"), null, List.of("amd64"), "none"))));
        s.add(new Step(
                "archive create (second)",
                c -> c.archive()
                        .createArchive(new ArchiveRequests.CreateArchive(
                                "release", null, List.of("noble"), List.of("main"), List.of("amd64"), null))));
        s.add(new Step(
                "archive create (exists)",
                c -> c.archive()
                        .createArchive(new ArchiveRequests.CreateArchive(
                                "trunk", null, List.of("noble"), null, List.of("amd64"), "none"))));
        s.add(new Step(
                "archive create (bad name)",
                c -> c.archive()
                        .createArchive(new ArchiveRequests.CreateArchive(
                                "Bad Name", null, List.of("noble"), null, List.of("amd64"), "none"))));
        s.add(new Step("archive list", c -> c.archive().listArchives()));
        s.add(new Step("archive show", c -> c.archive().showArchive("trunk")));
        s.add(new Step("archive show (missing)", c -> c.archive().showArchive("nope")));
        s.add(new Step(
                "archive set",
                c -> c.archive()
                        .configure(
                                "trunk",
                                new ArchiveRequests.Settings(
                                        "Example", "Trunk", true, null, Duration.ofDays(7), null, null))));
        s.add(new Step(
                "archive set (missing)",
                c -> c.archive()
                        .configure("nope", new ArchiveRequests.Settings("x", null, null, null, null, null, null))));
        // Keys.
        s.add(new Step("key generate", c -> c.archive().generateKey("trunk", "ed25519", null)));
        s.add(new Step("key generate (has one)", c -> c.archive().generateKey("trunk", "ed25519", null)));
        s.add(new Step("key rotate", c -> c.archive().rotateKey("trunk", "ed25519", null)));
        s.add(new Step("key list", c -> c.archive().listKeys("trunk")));
        s.add(new Step("key export", c -> c.archive().exportKey("trunk", null)));
        s.add(new Step("key retire (missing)", c -> c.archive().retireKey("trunk", "0123456789ABCDEF")));
        s.add(new Step("key generate (bad type)", c -> c.archive().generateKey("release", "dsa1024", null)));
        // Packages.
        s.add(new Step(
                "include",
                c -> c.archive()
                        .include(
                                new ArchiveRequests.Include("trunk", "noble", null, false, false),
                                List.of(deb),
                                null)));
        s.add(new Step(
                "include (again)",
                c -> c.archive()
                        .include(
                                new ArchiveRequests.Include("trunk", "noble", null, false, false),
                                List.of(deb),
                                null)));
        s.add(new Step(
                "include (no series)",
                c -> c.archive()
                        .include(
                                new ArchiveRequests.Include("trunk", "jammy", null, false, false),
                                List.of(deb),
                                null)));
        s.add(new Step("list", c -> c.archive().list("trunk", null)));
        s.add(new Step("list (missing)", c -> c.archive().list("nope", null)));
        s.add(new Step("skew", c -> c.archive().skew(List.of("trunk", "release"), null)));
        s.add(new Step("skew (dependencies)", c -> c.archive().skew(List.of("trunk", "release"), null, true)));
        s.add(new Step(
                "copy",
                c -> c.archive()
                        .copy(new ArchiveRequests.Copy(
                                List.of("hello-contract"), "trunk", "release", null, null, true))));
        s.add(new Step(
                "copy (dry run, with dependencies)",
                c -> c.archive()
                        .copy(new ArchiveRequests.Copy(
                                List.of("hello-contract"),
                                "trunk",
                                "release",
                                null,
                                null,
                                true,
                                true,
                                List.of(),
                                true,
                                true))));
        s.add(new Step(
                "copy (missing source)",
                c -> c.archive()
                        .copy(new ArchiveRequests.Copy(List.of("nothing"), "trunk", "release", null, null, true))));
        s.add(new Step("sync (dry run)", c -> {
            List<Object> plans = new ArrayList<>();
            var r = c.archive()
                    .sync(new ArchiveRequests.Sync("trunk", "release", null, true, false, false, null), plans::add);
            return List.of(r, plans);
        }));
        s.add(new Step(
                "sync (dry run, with dependencies)",
                c -> c.archive()
                        .sync(
                                new ArchiveRequests.Sync("trunk", "release", null, true, false, true, List.of("trunk")),
                                plan -> {})));
        s.add(new Step("history", c -> c.archive().history("release", "hello-contract")));
        s.add(new Step(
                "remove",
                c -> c.archive()
                        .remove("release", new ArchiveRequests.Remove("hello-contract", "noble", "contract test"))));
        s.add(new Step(
                "remove (again)",
                c -> c.archive()
                        .remove("release", new ArchiveRequests.Remove("hello-contract", "noble", "contract test"))));
        s.add(new Step("publish", c -> c.archive().publish("trunk", null)));
        s.add(new Step("sources", c -> c.archive().aptSources("trunk", "http://apt.example.org", null, true, null)));
        s.add(new Step(
                "sources (key file)",
                c -> c.archive()
                        .aptSources("trunk", "http://apt.example.org", null, false, "/etc/apt/keyrings/trunk.gpg")));
        s.add(new Step(
                "sources (bad key file)",
                c -> c.archive().aptSources("trunk", "http://apt.example.org", null, false, "x\nTypes: deb")));
        // Uploaders (the archive's own public key stands in for a person's).
        s.add(new Step(
                "uploader add",
                c -> c.archive()
                        .addUploader(
                                "trunk",
                                c.archive().exportKey("trunk", null).getBytes(StandardCharsets.US_ASCII),
                                "key.asc")));
        s.add(new Step(
                "uploader add (garbage)",
                c -> c.archive().addUploader("trunk", "not a key".getBytes(StandardCharsets.US_ASCII), "x.asc")));
        s.add(new Step("uploader list", c -> c.archive().listUploaders("trunk")));
        s.add(new Step("uploads", c -> c.archive().uploads("trunk", 10)));
        // Tokens.
        s.add(new Step(
                "token create",
                c -> c.archive().createToken(new ArchiveRequests.CreateToken("ci", "uploader", "trunk"))));
        s.add(new Step(
                "token create (bad role)",
                c -> c.archive().createToken(new ArchiveRequests.CreateToken("x", "emperor", null))));
        s.add(new Step("token list", c -> c.archive().listTokens()));
        s.add(new Step("token revoke", c -> {
            c.archive().revokeToken("ci");
            return "revoked";
        }));
        s.add(new Step("token revoke (missing)", c -> {
            c.archive().revokeToken("nobody");
            return "revoked";
        }));
        // Build farm.
        s.add(new Step("build list", c -> c.farm().list(null, null, null, 20)));
        s.add(new Step("build list (state)", c -> c.farm().list("trunk", BuildState.WAITING, null, 20)));
        s.add(new Step("build show (missing)", c -> c.farm().show(4242)));
        s.add(new Step("build retry (missing)", c -> c.farm().retry(4242)));
        s.add(new Step("build cancel (missing)", c -> c.farm().cancel(4242)));
        s.add(new Step("chroot list", c -> c.farm().listChroots()));
        s.add(new Step("dependencies set", c -> c.farm().setDependencies("trunk", List.of("release"), null, null)));
        s.add(new Step("dependencies (show)", c -> c.farm().dependencies("trunk")));
        s.add(new Step("dependencies (show, missing)", c -> c.farm().dependencies("nope")));
        s.add(new Step(
                "dependencies set (missing)", c -> c.farm().setDependencies("trunk", List.of("nope"), null, null)));
        s.add(new Step(
                "dependencies set (series missing)",
                c -> c.farm().setDependencies("trunk", null, List.of(), "nosuch")));
        s.add(new Step(
                "dependencies set (series without lines)",
                c -> c.farm().setDependencies("trunk", null, null, "bookworm")));
        // Pipelines.
        s.add(new Step(
                "pipeline create",
                c -> c.pipelines().create("tool", "https://git.example.org/tool.git", "main", null)));
        s.add(new Step(
                "pipeline create (bad name)",
                c -> c.pipelines().create("Tool!", "https://git.example.org/tool.git", "main", null)));
        s.add(new Step("pipeline list", c -> c.pipelines().list()));
        s.add(new Step("pipeline start", c -> c.pipelines().start("tool", null, null)));
        s.add(new Step("pipeline start (missing)", c -> c.pipelines().start("nope", null, null)));
        s.add(new Step("pipeline start (bad series)", c -> c.pipelines().start("tool", null, "Bad Series")));
        s.add(new Step("pipeline runs", c -> c.pipelines().runs("tool", 10)));
        s.add(new Step("pipeline run", c -> c.pipelines().run(1)));
        s.add(new Step("pipeline log", c -> c.pipelines().log(1, "source", 0)));
        s.add(new Step("pipeline log (bad step)", c -> c.pipelines().log(1, "Source!", 0)));
        s.add(new Step("pipeline log (a series' step)", c -> c.pipelines().log(1, "build:trixie", 0)));
        s.add(new Step("pipeline cancel", c -> c.pipelines().cancel(1)));
        s.add(new Step("pipeline run (missing)", c -> c.pipelines().run(99)));
        // Coverage.
        s.add(new Step("coverage upload", c -> c.coverage().upload("tool", "trunk", commit, "main", List.of(lcov))));
        s.add(new Step(
                "coverage upload (bad commit)",
                c -> c.coverage().upload("tool", "trunk", "not-a-commit", "main", List.of(lcov))));
        s.add(new Step("coverage show", c -> c.coverage().show("tool", commit)));
        s.add(new Step("coverage trend", c -> c.coverage().trend("tool", "main", 10)));
        s.add(new Step("coverage least", c -> c.coverage().least("tool", commit, 5)));
        s.add(new Step("coverage diff", c -> c.coverage().diff("tool", commit, commit)));
        s.add(new Step("coverage show (missing)", c -> c.coverage().show("nope", null)));
        // Rebuild sets.
        s.add(new Step(
                "rebuild create",
                c -> c.rebuilds()
                        .create(new RebuildSetRequest(
                                "nightly",
                                "trunk",
                                "noble",
                                List.of("hello-contract"),
                                "release",
                                "noble",
                                null,
                                null,
                                null))));
        s.add(new Step(
                "rebuild create (exists)",
                c -> c.rebuilds()
                        .create(new RebuildSetRequest(
                                "nightly",
                                "trunk",
                                "noble",
                                List.of("hello-contract"),
                                "release",
                                "noble",
                                null,
                                null,
                                null))));
        s.add(new Step("rebuild list", c -> c.rebuilds().list()));
        s.add(new Step("rebuild runs", c -> c.rebuilds().runs("nightly", 10)));
        s.add(new Step("rebuild results (none)", c -> c.rebuilds().results("nightly", LocalDate.of(2026, 1, 1))));
        s.add(new Step("rebuild runs (missing)", c -> c.rebuilds().runs("nope", 10)));
        return s;
    }

    /** Runs the scenario, each step's outcome as masked JSON or as "KIND: message". */
    private static List<String> run(List<Step> scenario, Clients clients, Path data, String url) {
        List<String> outcomes = new ArrayList<>();
        for (Step step : scenario) {
            String outcome;
            try {
                Object result = step.call().on(clients);
                JsonNode tree = Json.MAPPER.valueToTree(result);
                outcome = mask(tree, data, url).toString();
            } catch (ForgeException e) {
                String message = e.getMessage();
                if (url != null && message.startsWith("server " + url + ": ")) {
                    message = message.substring(("server " + url + ": ").length());
                }
                outcome = e.kind() + ": " + message.replaceAll("\\b[0-9A-F]{40}\\b", "<fingerprint>");
            } catch (Exception e) {
                outcome = "unexpected " + e;
            }
            outcomes.add(outcome);
        }
        return outcomes;
    }

    private static JsonNode mask(JsonNode node, Path data, String url) {
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
            List<String> names = new ArrayList<>();
            fields.forEachRemaining(f -> names.add(f.getKey()));
            for (String name : names) {
                o.set(
                        name,
                        VOLATILE.contains(name) && !o.get(name).isNull()
                                ? TextNode.valueOf("*")
                                : mask(o.get(name), data, url));
            }
            return o;
        }
        if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, mask(a.get(i), data, url));
            }
            return a;
        }
        if (node.isTextual()) {
            String t = node.asText().replace(data.toString(), "<data>");
            if (url != null) {
                t = t.replace(url, "<server>");
            }
            t = t.replaceAll("\\b[0-9A-F]{40}\\b", "<fingerprint>");
            if (t.contains("BEGIN PGP")) {
                t = "<pgp armour>";
            }
            return TextNode.valueOf(t);
        }
        return node;
    }
}
