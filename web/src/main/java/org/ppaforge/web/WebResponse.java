package org.ppaforge.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a page answers: status, content type, body and extra headers (a redirect's Location, a Set-Cookie). */
public record WebResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String HTML = "text/html; charset=utf-8";
    public static final String TEXT = "text/plain; charset=utf-8";

    public static WebResponse html(int status, String html) {
        return new WebResponse(status, HTML, html.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
    }

    public static WebResponse text(int status, String text) {
        return new WebResponse(status, TEXT, text.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
    }

    /** 303 See Other: after a form, the browser GETs the page (a reload does not post again). */
    public static WebResponse redirect(String location) {
        WebResponse r = new WebResponse(303, TEXT, new byte[0], new LinkedHashMap<>());
        r.headers.put("Location", location);
        return r;
    }

    public WebResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
