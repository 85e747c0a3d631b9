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

    private Rebuilds rebuilds() {
        return qa.rebuilds();
    }

    private boolean visible(HttpServerExchange ex, RebuildSet s) {
        return s.archives().stream().allMatch(a -> api.mayRead(ex, a));
    }

    private RebuildSet set(HttpServerExchange ex) {
        String name = ApiRequests.param(ex, "name");
        RebuildSet s;
        try {
            s = rebuilds().get(name);
        } catch (ForgeException e) {
            throw ForgeException.notFound("there is no rebuild set '" + name + "'");
        }
        if (!visible(ex, s)) {
            throw ForgeException.notFound("there is no rebuild set '" + name + "'");
        }
        return s;
    }

    List<Api.Route> table() {
        return List.of(
                new Api.Route(
                        "GET",
                        "/api/v1/rebuilds",
                        "The rebuild sets (those whose archives the caller may read)",
                        false,
                        ex -> rebuilds().list().stream()
                                .filter(s -> visible(ex, s))
                                .toList()),
                new Api.Route(
                                "POST",
                                "/api/v1/rebuilds",
                                "Create a rebuild set (admin token): JSON {name, from, fromSeries, packages[], "
                                        + "into, series, schedule, webhook, fromKey}",
                                true,
                                ex -> {
                                    api.authorize(ex, null, true);
                                    JsonNode b = ApiRequests.body(ex);
                                    List<String> packages = new ArrayList<>();
                                    b.path("packages").forEach(n -> packages.add(n.asText()));
                                    return rebuilds()
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
                                    RebuildSet s = set(ex);
                                    api.authorize(ex, s.into(), false);
                                    return rebuilds()
                                            .request(s.name(), Boolean.parseBoolean(ApiRequests.query(ex, "force")));
                                })
                        .query("force"),
                new Api.Route(
                                "GET",
                                "/api/v1/rebuilds/{name}/runs",
                                "Runs with their results, newest first (query: limit)",
                                false,
                                ex -> rebuilds().runs(set(ex).name(), ApiRequests.intQuery(ex, "limit", 10)))
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
                                    return rebuilds().results(set(ex).name(), date);
                                })
                        .query("date"));
    }
}
