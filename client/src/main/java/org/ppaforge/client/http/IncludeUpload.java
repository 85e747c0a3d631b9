package org.ppaforge.client.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ppaforge.archive.verb.Include;
import org.ppaforge.client.wire.ApiPaths;
import org.ppaforge.client.wire.ArchiveRequests;
import org.ppaforge.debian.changes.Changes;
import org.ppaforge.debian.checksum.ListedFile;
import org.ppaforge.debian.dsc.Dsc;

/**
 * An include over the API: sends the files (and those a .dsc or .changes lists) to the server's {@code POST
 * /api/v1/archives/<archive>/include} as multipart/form-data, and turns the answer back into an include result or the
 * server's error (same message, same kind as a local include).
 */
final class IncludeUpload {
    private static final JsonFactory JSON = new JsonFactory();

    private IncludeUpload() {}

    static Include.Result send(HttpTransport remote, ArchiveRequests.Include r, List<Path> given) throws IOException {
        String archive = r.archive();
        String series = r.series();
        String component = r.component();
        boolean allowDowngrade = r.allowDowngrade();
        boolean skipRefused = r.skipRefused();
        remote.timing("remote include starts");
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
        String query = ApiPaths.query(
                "allowDowngrade",
                Boolean.toString(allowDowngrade),
                "skipRefused",
                skipRefused ? "true" : null,
                "series",
                series,
                "component",
                component);
        byte[] body = remote.postFiles(ApiPaths.archive(archive, "/include" + query), files);
        remote.timing("request sent, response status");
        Include.Result result = result(body);
        remote.timing("response parsed");
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
}
