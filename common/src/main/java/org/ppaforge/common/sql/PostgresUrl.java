package org.ppaforge.common.sql;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ppaforge.common.ForgeException;

/**
 * A PostgreSQL connection URI as libpq and psql take it ({@code postgresql://user:password@host:port/db?param=value},
 * also {@code postgres://}), turned into what the JDBC driver takes. A password left out of the URI comes from
 * {@code PGPASSWORD}, as with psql.
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/db?params} (no user, no password)
 * @param shown the URI without its password, for messages and logs
 */
public record PostgresUrl(String jdbcUrl, String user, String password, String shown) {
    public static boolean isPostgres(String url) {
        return url != null && (url.startsWith("postgresql://") || url.startsWith("postgres://"));
    }

    public static PostgresUrl parse(String url) {
        if (!isPostgres(url)) {
            throw invalid(url, "it must start with postgresql://");
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid(url, e.getReason());
        }
        String host = u.getHost();
        if (host == null || host.isEmpty()) {
            throw invalid(url, "it names no host");
        }
        String db = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
        if (db.isEmpty() || db.contains("/")) {
            throw invalid(
                    url, "it must name one database after the host, e.g. postgresql://ppaforge@db.example/ppaforge");
        }
        String user = null;
        String password = System.getenv("PGPASSWORD");
        if (u.getRawUserInfo() != null) {
            String[] ui = u.getRawUserInfo().split(":", 2);
            user = decode(ui[0]);
            if (ui.length == 2) {
                password = decode(ui[1]);
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (u.getRawQuery() != null) {
            for (String kv : u.getRawQuery().split("&")) {
                String[] p = kv.split("=", 2);
                String key = decode(p[0]);
                String value = p.length == 2 ? decode(p[1]) : "";
                if (key.equals("user")) {
                    user = value;
                } else if (key.equals("password")) {
                    password = value;
                } else {
                    params.put(key, value);
                }
            }
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://")
                .append(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host);
        if (u.getPort() > 0) {
            jdbc.append(':').append(u.getPort());
        }
        jdbc.append('/').append(db);
        String sep = "?";
        for (var e : params.entrySet()) {
            jdbc.append(sep)
                    .append(e.getKey())
                    .append('=')
                    .append(java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = "&";
        }
        String shown = "postgresql://" + (user == null ? "" : user + "@") + host
                + (u.getPort() > 0 ? ":" + u.getPort() : "") + "/" + db;
        return new PostgresUrl(jdbc.toString(), user, password, shown);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static ForgeException invalid(String url, String why) {
        String shown = url == null ? "(none)" : url.replaceAll("//([^:/@]*):[^@]*@", "//$1:***@");
        return new ForgeException(ForgeException.Kind.INVALID, "bad database URL " + shown + ": " + why);
    }

    @Override
    public String toString() {
        return shown;
    }
}
