package org.ppaforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The API as an OpenAPI 3 document, made from the same table the routes are: it cannot drift from them. */
final class OpenApi {
    private OpenApi() {}

    /** The OpenAPI document, made from the same table the routes are: it cannot drift from them. */
    static JsonNode document(List<Api.Route> table) {
        var doc = Api.JSON.createObjectNode();
        doc.put("openapi", "3.0.3");
        doc.putObject("info").put("title", "ppaforge API").put("version", "1");
        var bearer = doc.putObject("components").putObject("securitySchemes");
        bearer.putObject("bearer").put("type", "http").put("scheme", "bearer");
        bearer.putObject("basic").put("type", "http").put("scheme", "basic");
        var paths = doc.putObject("paths");
        for (Api.Route route : table) {
            String openApiPath = route.path().replaceFirst("^/api/v1", "");
            var op = (paths.has(openApiPath) ? (ObjectNode) paths.get(openApiPath) : paths.putObject(openApiPath))
                    .putObject(route.method().toLowerCase(Locale.ROOT));
            op.put("summary", route.summary());
            var params = op.putArray("parameters");
            var m = Pattern.compile("\\{(\\w+)}").matcher(route.path());
            while (m.find()) {
                params.addObject()
                        .put("name", m.group(1))
                        .put("in", "path")
                        .put("required", true)
                        .putObject("schema")
                        .put("type", "string");
            }
            for (String q : route.query()) {
                params.addObject()
                        .put("name", q)
                        .put("in", "query")
                        .put("required", "archives".equals(q) || "url".equals(q))
                        .putObject("schema")
                        .put(
                                "type",
                                switch (q) {
                                    case "limit", "offset", "wait" -> "integer";
                                    case "allowDowngrade", "debSrc", "skipRefused" -> "boolean";
                                    default -> "string";
                                });
            }
            if (route.body() != null) {
                var schema = op.putObject("requestBody")
                        .put("required", true)
                        .putObject("content")
                        .putObject(route.body())
                        .putObject("schema");
                if (Api.JSON_BODY.equals(route.body())) {
                    schema.put("type", "object").put("description", route.summary());
                } else if ("multipart/form-data".equals(route.body())) {
                    schema.put("type", "object")
                            .putObject("properties")
                            .putObject("file")
                            .put("type", "array")
                            .putObject("items")
                            .put("type", "string")
                            .put("format", "binary");
                } else {
                    schema.put("type", "string").put("format", "binary");
                }
            }
            if (route.needsToken()) {
                var security = op.putArray("security");
                security.addObject().putArray("bearer");
                security.addObject().putArray("basic");
            }
            var responses = op.putObject("responses");
            responses.putObject("200").put("description", "the verb's result as JSON");
            responses
                    .putObject("default")
                    .put(
                            "description",
                            "{\"error\": {\"code\", \"message\"}}: 400 bad input, 401/403 "
                                    + "credentials, 404, 409 refused by an archive rule, 413 too large, 503 busy");
        }
        doc.putArray("servers").addObject().put("url", "/api/v1");
        return doc;
    }
}
