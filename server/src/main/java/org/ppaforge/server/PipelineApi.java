package org.ppaforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import java.util.List;
import java.util.Map;
import org.ppaforge.common.ForgeException;
import org.ppaforge.pipeline.PipelineAccess;
import org.ppaforge.pipeline.Pipelines;

/**
 * The pipelines' endpoints: pipelines and runs (a token to read them: they name git remotes), queueing and cancelling
 * runs, the push webhook, and the install tests' callback (its per-run secret is its credential).
 */
final class PipelineApi {
    private final Api api;
    private final Pipelines pipelines;

    PipelineApi(Api api, Pipelines pipelines) {
        this.api = api;
        this.pipelines = pipelines;
    }

    private Pipelines pipelines() {
        return pipelines;
    }

    /** What the caller may see and do of pipelines (one rule, the pipeline module's). */
    private PipelineAccess access(HttpServerExchange ex) {
        return pipelines().access(Api.token(ex));
    }

    private static long run(HttpServerExchange ex) {
        try {
            return Long.parseLong(ApiRequests.param(ex, "id"));
        } catch (NumberFormatException e) {
            throw ForgeException.invalid("a run number is a whole number, not '" + ApiRequests.param(ex, "id") + "'");
        }
    }

    List<Api.Route> table() {
        return List.of(
                new Api.Route(
                        "GET",
                        "/api/v1/pipelines",
                        "The pipelines (a token; a private archive's only to those who may read " + "it)",
                        true,
                        ex -> access(ex).pipelines()),
                new Api.Route(
                                "POST",
                                "/api/v1/pipelines",
                                "Register a pipeline (admin token): JSON {name, git, branch, file}",
                                true,
                                ex -> {
                                    JsonNode body = ApiRequests.body(ex);
                                    api.caller(ex).admin(api.ppa()); // before the fields are read
                                    return pipelines()
                                            .create()
                                            .caller(api.caller(ex))
                                            .name(ApiRequests.text(body, "name", true))
                                            .git(ApiRequests.text(body, "git", true))
                                            .branch(ApiRequests.text(body, "branch", false))
                                            .file(ApiRequests.text(body, "file", false))
                                            .call();
                                })
                        .body("application/json"),
                new Api.Route(
                        "GET",
                        "/api/v1/pipelines/{name}/key",
                        "The pipeline's public signing key (ASCII-armoured, as a JSON " + "string)",
                        false,
                        ex -> pipelines().publicKey(ApiRequests.param(ex, "name"))),
                new Api.Route(
                                "POST",
                                "/api/v1/pipelines/{name}/runs",
                                "Queue a run (a token that may write the pipeline's archive; query: ref, series: one "
                                        + "series of the pipeline's only)",
                                true,
                                ex -> {
                                    access(ex).writable(ApiRequests.param(ex, "name"));
                                    return pipelines()
                                            .start()
                                            .pipeline(ApiRequests.param(ex, "name"))
                                            .trigger("manual")
                                            .ref(ApiRequests.query(ex, "ref"))
                                            .series(ApiRequests.query(ex, "series"))
                                            .call();
                                })
                        .query("ref", "series"),
                new Api.Route(
                                "GET",
                                "/api/v1/pipelines/runs",
                                "Runs, newest first (a token; query: pipeline, limit)",
                                true,
                                ex -> {
                                    int n = ApiRequests.intQuery(ex, "limit", 20);
                                    if (n < 1 || n > 1000) {
                                        throw ForgeException.invalid("the limit must be 1 to 1000");
                                    }
                                    return access(ex).runs(ApiRequests.query(ex, "pipeline"), n);
                                })
                        .query("pipeline", "limit"),
                new Api.Route(
                        "GET",
                        "/api/v1/pipelines/runs/{id}",
                        "One run with its steps (a token)",
                        true,
                        ex -> access(ex).run(run(ex))),
                new Api.Route(
                                "GET",
                                "/api/v1/pipelines/runs/{id}/log/{step}",
                                "A step's log from a byte offset (a token; query: " + "offset)",
                                true,
                                ex -> {
                                    var r = access(ex).run(run(ex)); // the caller may see the run
                                    return pipelines()
                                            .stepLog(
                                                    r.id(),
                                                    ApiRequests.param(ex, "step"),
                                                    ApiRequests.longQuery(ex, "offset", 0));
                                })
                        .query("offset"),
                new Api.Route(
                        "POST",
                        "/api/v1/pipelines/runs/{id}/cancel",
                        "Cancel a run (a token): a queued one at once, a " + "running one before its next step",
                        true,
                        ex -> {
                            access(ex).writable(run(ex));
                            return pipelines().cancel().run(run(ex)).call();
                        }),
                new Api.Route(
                                "POST",
                                "/api/v1/pipelines/runs/{id}/callback/{secret}",
                                "An install test reports (no token: the "
                                        + "per-run secret of $PPAFORGE_CALLBACK_URL is the credential; query: result=pass|fail, message); 403 with a "
                                        + "wrong secret, 409 when the run takes no callback (none expected, one came already, or too late)",
                                false,
                                ex -> {
                                    var r = pipelines()
                                            .callback()
                                            .run(run(ex))
                                            .secret(ApiRequests.param(ex, "secret"))
                                            .result(ApiRequests.required(ApiRequests.query(ex, "result"), "result"))
                                            .message(ApiRequests.query(ex, "message"))
                                            .call();
                                    return Map.of("run", r.id(), "state", r.state(), "callback", "accepted");
                                })
                        .query("result", "message"),
                new Api.Route(
                                "POST",
                                "/api/v1/pipelines/{name}/trigger",
                                "A push webhook (GitHub, GitLab, Gitea, Forgejo push "
                                        + "payloads: 'ref'; a token as Bearer, as HTTP Basic in the hook's URL, or as X-Gitlab-Token): a push to the "
                                        + "pipeline's branch queues a run; other refs and pings are answered and ignored",
                                true,
                                ex -> {
                                    JsonNode body = ApiRequests.body(ex);
                                    String gitlab = ex.getRequestHeaders().getFirst("X-Gitlab-Token");
                                    pipelines()
                                            .access(gitlab != null ? gitlab : Api.token(ex))
                                            .writable(ApiRequests.param(ex, "name"));
                                    if ("ping".equals(ex.getRequestHeaders().getFirst("X-GitHub-Event"))) {
                                        return Map.of("ignored", "a ping, not a push");
                                    }
                                    var r = pipelines().triggers().push(ApiRequests.param(ex, "name"), body);
                                    return r == null
                                            ? Map.of("ignored", "not a push to the pipeline's branch")
                                            : Map.of("run", r.id(), "state", r.state());
                                })
                        .body("application/json"));
    }
}
