package org.ppaforge.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ppaforge.archive.verb.Include;
import org.ppaforge.debian.changes.Changes;
import org.ppaforge.debian.checksum.ListedFile;
import org.ppaforge.debian.dsc.Dsc;

/**
 * {@code ppa include --server URL}: sends the files (and those a .dsc or .changes lists) to
 * the server's {@code POST /api/v1/archives/<archive>/include} as multipart/form-data, with
 * the token from {@code $PPAFORGE_TOKEN}, and turns the answer back into an include result
 * or the server's error (same message, same exit status as a local include).
 */
final class RemoteInclude {
    private static final JsonFactory JSON = new JsonFactory();
    private final Remote remote;

    RemoteInclude(Remote remote) {
        this.remote = remote;
    }

    Include.Result include(
            String archive,
            String series,
            String component,
            boolean allowDowngrade,
            boolean skipRefused,
            List<Path> given)
            throws IOException, InterruptedException {
        timing("remote include starts");
        Set<Path> files = new LinkedHashSet<>();
        for (Path f : given) {
            if (Files.isDirectory(f)) {
                try (var s = Files.newDirectoryStream(f, "*.deb")) {
                    s.forEach(files::add);
                }
                continue;
            }
            files.add(f);
            String name = f.getFileName().toString();
            if (name.endsWith(".dsc") || name.endsWith(".changes")) {
                String text = Files.readString(f);
                List<ListedFile> listed = name.endsWith(".dsc")
                        ? Dsc.parse(text, f.toString()).files()
                        : Changes.parse(text, f.toString()).files();
                for (ListedFile l : listed) {
                    files.add(f.resolveSibling(l.name()));
                }
            }
        }
        StringBuilder query =
                new StringBuilder("?allowDowngrade=" + allowDowngrade + (skipRefused ? "&skipRefused=true" : ""));
        if (series != null) {
            query.append("&series=").append(URLEncoder.encode(series, StandardCharsets.UTF_8));
        }
        if (component != null) {
            query.append("&component=").append(URLEncoder.encode(component, StandardCharsets.UTF_8));
        }
        byte[] body = remote.postFiles("/api/v1/archives/" + Remote.encode(archive) + "/include" + query, files);
        timing("request sent, response status");
        Include.Result result = result(body);
        timing("response parsed");
        return result;
    }

    /**
     * The include result from the server's JSON, read with the streaming parser: Jackson's object mapper
     * costs a one-shot client about 0.1 s of start-up for these six fields.
     */
    static Include.Result result(byte[] body) throws IOException {
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser p = JSON.createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_ARRAY) {
                    List<String> items = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items.add(p.getValueAsString());
                    }
                    fields.put(name, items);
                } else if (t.isScalarValue()) {
                    fields.put(name, p.getValueAsString());
                } else {
                    p.skipChildren();
                }
            }
        }
        return new Include.Result(
                (String) fields.get("archive"),
                (String) fields.get("series"),
                list(fields, "publishedSources"),
                list(fields, "publishedBinaries"),
                list(fields, "unchanged"),
                list(fields, "superseded"),
                list(fields, "skipped"));
    }

    /** The {@code error.message} of an error answer, or null. */
    static String errorMessage(byte[] body) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            int depth = 0;
            boolean inError = false;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.START_OBJECT) {
                    depth++;
                } else if (t == JsonToken.END_OBJECT) {
                    inError = inError && --depth >= 2;
                } else if (t == JsonToken.FIELD_NAME && depth == 1 && "error".equals(p.currentName())) {
                    inError = true;
                } else if (t == JsonToken.FIELD_NAME && inError && depth == 2 && "message".equals(p.currentName())) {
                    return p.nextTextValue();
                }
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> fields, String name) throws IOException {
        Object v = fields.get(name);
        if (!(v instanceof List<?>)) {
            throw new IOException("the server's answer has no list " + name);
        }
        return (List<String>) v;
    }

    private static void expect(JsonToken actual, JsonToken wanted) throws IOException {
        if (actual != wanted) {
            throw new IOException("the server's answer is not a JSON object");
        }
    }

    /** With PPAFORGE_TIMINGS set: milliseconds since the JVM started, on stderr. */
    static void timing(String what) {
        if (System.getenv("PPAFORGE_TIMINGS") != null) {
            long ms = ManagementFactory.getRuntimeMXBean().getUptime();
            System.err.println("client timings: " + what + " at " + ms + " ms since the JVM started");
        }
    }
}
