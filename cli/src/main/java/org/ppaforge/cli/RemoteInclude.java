package org.ppaforge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.ppaforge.archive.ArchiveException;
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
    private final String server;

    RemoteInclude(String server) {
        this.server = server;
    }

    Include.Result include(String archive, String series, String component, boolean allowDowngrade, List<Path> given)
            throws IOException, InterruptedException {
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
                List<ListedFile> listed = name.endsWith(".dsc") ? Dsc.parse(text, f.toString()).files()
                        : Changes.parse(text, f.toString()).files();
                for (ListedFile l : listed) {
                    files.add(f.resolveSibling(l.name()));
                }
            }
        }
        String boundary = "ppaforge-" + UUID.randomUUID();
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw ArchiveException.invalid(f + ": no such file");
            }
            parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + f.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"));
            parts.add(HttpRequest.BodyPublishers.ofFile(f));
            parts.add(HttpRequest.BodyPublishers.ofString("\r\n"));
        }
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n"));
        StringBuilder query = new StringBuilder("?allowDowngrade=" + allowDowngrade);
        if (series != null) {
            query.append("&series=").append(URLEncoder.encode(series, StandardCharsets.UTF_8));
        }
        if (component != null) {
            query.append("&component=").append(URLEncoder.encode(component, StandardCharsets.UTF_8));
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(server + "/api/v1/archives/"
                        + URLEncoder.encode(archive, StandardCharsets.UTF_8) + "/include" + query))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new)));
        String token = System.getenv("PPAFORGE_TOKEN");
        if (token != null && !token.isBlank()) {
            req.header("Authorization", "Bearer " + token.strip());
        }
        HttpResponse<byte[]> r;
        try {
            r = HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach the ppaforge server at " + server + ": connection refused", e);
        }
        ObjectMapper json = new ObjectMapper();
        if (r.statusCode() != 200) {
            JsonNode err = json.readTree(r.body()).path("error");
            String message = err.path("message").asText("HTTP " + r.statusCode());
            ArchiveException.Kind kind;
            try {
                kind = ArchiveException.Kind.valueOf(err.path("code").asText("IO"));
            } catch (IllegalArgumentException e) {
                kind = ArchiveException.Kind.IO;
            }
            throw new ArchiveException(kind, "server " + server + ": " + message);
        }
        return json.readValue(r.body(), Include.Result.class);
    }
}
