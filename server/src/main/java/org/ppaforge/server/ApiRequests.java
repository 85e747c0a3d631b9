package org.ppaforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Deque;
import org.ppaforge.common.ForgeException;

/**
 * How the API reads a request: path and query parameters (a query parameter must be declared by its route, so the
 * OpenAPI document stays true), JSON bodies within their size bound, and their fields with the 400 a bad one gets.
 */
final class ApiRequests {
    private ApiRequests() {}

    static String param(HttpServerExchange ex, String name) {
        return ex.getQueryParameters().get(name).getFirst();
    }

    /** A whole-number query parameter ({@code absent} when not given); anything else is a 400 naming it. */
    static int intQuery(HttpServerExchange ex, String name, int absent) {
        long v = longQuery(ex, name, absent);
        if (v != (int) v) {
            throw ForgeException.invalid(name + " is too large: " + v);
        }
        return (int) v;
    }

    /** A whole-number query parameter that may be large (a byte offset). */
    static long longQuery(HttpServerExchange ex, String name, long absent) {
        String v = query(ex, name);
        try {
            return v == null ? absent : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ForgeException.invalid(name + " is a whole number, not '" + v + "'");
        }
    }

    /** The name a client gave its key file (a plain file name, so messages can quote it), else "the uploaded key". */
    static String keyFileName(HttpServerExchange ex) {
        String name = query(ex, "name");
        return name != null && name.matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,99}") ? name : "the uploaded key";
    }

    static String query(HttpServerExchange ex, String name) {
        Api.Route route = ex.getAttachment(Api.ROUTE);
        if (route == null || !route.query().contains(name)) { // keeps the OpenAPI document true
            throw new IllegalStateException(
                    "query parameter '" + name + "' is not declared by its route in Api.table()");
        }
        Deque<String> v = ex.getQueryParameters().get(name);
        return v == null || v.isEmpty() || v.getFirst().isEmpty() ? null : v.getFirst();
    }

    static String required(String value, String name) {
        if (value == null) {
            throw ForgeException.invalid("missing parameter '" + name + "'");
        }
        return value;
    }

    /** JSON bodies are small (names, flags): at most this many bytes, 413 past it. */
    static final int MAX_JSON_BODY = 1 << 20;
    /** An uploaded key file (a few public keys with their signatures) at most. */
    static final int MAX_KEY_FILE = 1 << 20;

    static JsonNode body(HttpServerExchange ex) throws IOException {
        byte[] bytes = limited(ex, MAX_JSON_BODY, "a JSON request body", true);
        if (bytes.length == 0) {
            return Api.JSON.createObjectNode();
        }
        try {
            return Api.JSON.readTree(bytes);
        } catch (IOException e) {
            throw ForgeException.invalid("the request body is not JSON: " + e.getMessage());
        }
    }

    /** A list of strings ({@code ["a", "b"]}); absent: empty. */
    static java.util.List<String> texts(JsonNode body, String field) {
        java.util.List<String> out = new java.util.ArrayList<>();
        body.path(field).forEach(n -> out.add(n.asText()));
        return out;
    }

    static Boolean flag(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw ForgeException.invalid("field '" + field + "' must be true or false, not " + n);
        }
        return n.asBoolean();
    }

    static Duration duration(JsonNode body, String field) {
        String v = text(body, field, false);
        try {
            return v == null ? null : Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw ForgeException.invalid(
                    "field '" + field + "' must be an ISO-8601 duration such as P7D or PT12H, not '" + v + "'");
        }
    }

    /** The raw request body, refused (413) past {@code max} bytes, and (400) when empty unless that is allowed. */
    static byte[] limited(HttpServerExchange ex, int max, String what, boolean mayBeEmpty) throws IOException {
        byte[] bytes = ex.getInputStream().readNBytes(max + 1);
        if (bytes.length > max) {
            throw new ForgeException(ForgeException.Kind.TOO_LARGE, what + " is limited to " + max + " bytes");
        }
        if (bytes.length == 0 && !mayBeEmpty) {
            throw ForgeException.invalid("the request body is empty: send " + what);
        }
        return bytes;
    }

    static String text(JsonNode body, String field, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw ForgeException.invalid("missing field '" + field + "'");
            }
            return null;
        }
        return n.asText();
    }
}
