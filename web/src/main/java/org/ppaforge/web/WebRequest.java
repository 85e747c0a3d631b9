package org.ppaforge.web;

import java.util.List;
import java.util.Map;

/**
 * A request as the web pages see it: no HTTP server type, so the server adapts its own exchange to this.
 *
 * @param path the decoded path, e.g. {@code /trunk/+package/hello}
 * @param query the query parameters
 * @param form the form fields of a POST (url-encoded), empty otherwise
 * @param cookies the request's cookies by name
 * @param secure whether it came over HTTPS (the session cookie is then marked Secure)
 * @param base the server's URL as the client reached it, e.g. {@code http://ppa.example.org:8080} (for apt sources and
 *     dput.cf on the pages)
 * @param origin the page a browser says the request came from (its {@code Origin} header, scheme://host[:port]), or null
 * @param client the client's address (for slowing down repeated failed sign-ins)
 */
public record WebRequest(
        String method,
        String path,
        Map<String, List<String>> query,
        Map<String, List<String>> form,
        Map<String, String> cookies,
        boolean secure,
        String base,
        String origin,
        String client) {
    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public String field(String name) {
        List<String> v = form.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public boolean isPost() {
        return "POST".equals(method);
    }
}
