package org.ppaforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.ppaforge.common.ForgeException;
import org.ppaforge.qa.Qa;
import org.ppaforge.qa.rebuild.RebuildSet;
import org.ppaforge.qa.rebuild.RebuildSetRequest;
import org.ppaforge.qa.rebuild.Rebuilds;

/**
 * Regression rebuild endpoints: sets (create with an admin token), asking for a run (the server's runner takes it), runs,
 * results and the Atom feed. A set is visible to whoever may read both its archives, as on the pages.
 */
final class RebuildApi {
    private final Api api;
    private final Qa qa;

    RebuildApi(Api api, Qa qa) {
        this.api = api;
        this.qa = qa;
    }

    /** Rebuild sets as this request's caller may see and change them. */
    private Rebuilds rebuilds(HttpServerExchange ex) {
        return qa.rebuilds(api.caller(ex));
    }

    private RebuildSet set(HttpServerExchange ex) {
        return rebuilds(ex).get(ApiRequests.param(ex, "name"));
    }

    List<Api.Route> table() {
        return List.of(
                new Api.Route(
                        "GET",
                        "/api/v1/rebuilds",
                        "The rebuild sets (those whose archives the caller may read)",
                        false,
                        ex -> rebuilds(ex).list()),
                new Api.Route(
                                "POST",
                                "/api/v1/rebuilds",
                                "Create a rebuild set (admin token): JSON {name, from, fromSeries, packages[], "
                                        + "into, series, schedule, webhook, fromKey}",
                                true,
                                ex -> {
                                    api.caller(ex).admin(api.ppa()); // before the body is read
                                    JsonNode b = ApiRequests.body(ex);
                                    List<String> packages = new ArrayList<>();
                                    b.path("packages").forEach(n -> packages.add(n.asText()));
                                    return rebuilds(ex)
                                            .create(new RebuildSetRequest(
                                                    ApiRequests.text(b, "name", true),
                                                    ApiRequests.text(b, "from", true),
                                                    ApiRequests.text(b, "fromSeries", false),
                                                    packages,
                                                    ApiRequests.text(b, "into", true),
                                                    ApiRequests.text(b, "series", false),
                                                    ApiRequests.text(b, "schedule", false),
                                                    ApiRequests.text(b, "webhook", false),
                                                    ApiRequests.text(b, "fromKey", false)));
                                })
                        .body("application/json"),
                new Api.Route("GET", "/api/v1/rebuilds/{name}", "A rebuild set", false, this::set),
                new Api.Route(
                                "POST",
                                "/api/v1/rebuilds/{name}/runs",
                                "Ask for a run (a token that may write the set's archive; "
                                        + "query: force): the server runs it when the runner is free",
                                true,
                                ex -> {
                                    return rebuilds(ex)
                                            .request(
                                                    ApiRequests.param(ex, "name"),
                                                    Boolean.parseBoolean(ApiRequests.query(ex, "force")));
                                })
                        .query("force"),
                new Api.Route(
                                "GET",
                                "/api/v1/rebuilds/{name}/runs",
                                "Runs with their results, newest first (query: limit)",
                                false,
                                ex -> rebuilds(ex)
                                        .runs(ApiRequests.param(ex, "name"), ApiRequests.intQuery(ex, "limit", 10)))
                        .query("limit"),
                new Api.Route(
                                "GET",
                                "/api/v1/rebuilds/{name}/results",
                                "The newest run's results, or those of the run started on a "
                                        + "date (query: date, YYYY-MM-DD)",
                                false,
                                ex -> {
                                    String d = ApiRequests.query(ex, "date");
                                    LocalDate date;
                                    try {
                                        date = d == null ? null : LocalDate.parse(d);
                                    } catch (DateTimeParseException e) {
                                        throw ForgeException.invalid("date is YYYY-MM-DD, not '" + d + "'");
                                    }
                                    return rebuilds(ex).results(ApiRequests.param(ex, "name"), date);
                                })
                        .query("date"));
    }
}
