package org.ppaforge.client.wire;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Where the API lives, and its paths as clients build them (each segment encoded). */
public final class ApiPaths {
    /** The API's root; every path below starts with it. */
    public static final String V1 = "/api/v1";

    private ApiPaths() {}

    /** One path segment, percent-encoded (a space as %20, not +). */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code /api/v1/archives/NAME}, then {@code more} as it is. */
    public static String archive(String name, String more) {
        return V1 + "/archives/" + segment(name) + more;
    }

    /** {@code ?name=value&...} of these name, value pairs (URL-encoded), null values left out; "" when all are. */
    public static String query(String... namesAndValues) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                q.append(q.length() == 0 ? '?' : '&')
                        .append(namesAndValues[i])
                        .append('=')
                        .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }
}
