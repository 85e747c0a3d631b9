package org.ppaforge.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** The stylesheet and the one small script, from the module's resources; cached by browsers for an hour. */
final class StaticFiles {
    private static final Map<String, String> TYPES =
            Map.of("ppaforge.css", "text/css; charset=utf-8", "ppaforge.js", "text/javascript; charset=utf-8");

    void register(Web web) {
        web.get("/\\+static/([a-z.]+)", (c, m) -> {
            String type = TYPES.get(m.group(1));
            if (type == null) {
                return web.message(c, 404, "no such file");
            }
            try (InputStream in = StaticFiles.class.getResourceAsStream("static/" + m.group(1))) {
                if (in == null) {
                    throw new IOException("missing resource " + m.group(1));
                }
                return new WebResponse(200, type, in.readAllBytes(), new LinkedHashMap<>())
                        .header("Cache-Control", "public, max-age=3600");
            }
        });
    }
}
