package org.ppaforge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.ppaforge.common.ForgeException;
import org.ppaforge.server.HttpStatuses;
import org.ppaforge.server.Tls;

/**
 * The CLI's side of the JSON API ({@code ppa --server URL ...}): sends a request with the
 * token, and turns the answer into the verb's result type, or the server's error into the
 * same failure (message and exit status) the local verb would give.
 */
final class Remote {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .registerModule(new SimpleModule()
                    .addDeserializer(Instant.class, new FromString<>(Instant.class, Instant::parse))
                    .addDeserializer(Duration.class, new FromString<>(Duration.class, Duration::parse))
                    .addDeserializer(Path.class, new FromString<>(Path.class, Path::of)));

    private final String server;
    private final String token;

    Remote(String server, String token) {
        this.server = server;
        this.token = token;
    }

    String server() {
        return server;
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code ?name=value&name=value...} (URL-encoded) of these name, value pairs, null values left out; "" when all are. */
    static String query(String... namesAndValues) {
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

    /** A JSON object of these name, value pairs (null values left out). */
    static Map<String, Object> body(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                m.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return m;
    }

    static JavaType listOf(Class<?> element) {
        return JSON.getTypeFactory().constructCollectionType(List.class, element);
    }

    static JavaType of(Class<?> type) {
        return JSON.getTypeFactory().constructType(type);
    }

    /** GETs {@code path}; I/O failures are unchecked (commands' call methods declare none). */
    <T> T get(String path, JavaType type) {
        try {
            return JSON.readValue(send("GET", path, null, null), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** POSTs {@code body} (any value Jackson writes; null: no body) as JSON. */
    <T> T post(String path, Object body, JavaType type) {
        byte[] json;
        try {
            json = body == null ? null : JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request as JSON: " + e.getMessage(), e);
        }
        return postBytes(path, json, "application/json", type);
    }

    /** POSTs these bytes as they are (e.g. a key file), of this content type. */
    <T> T postBytes(String path, byte[] body, String contentType, JavaType type) {
        try {
            return JSON.readValue(send("POST", path, body, contentType), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * POSTs files as multipart/form-data parts named 'file' (each under its own name), streamed; the answer's body.
     */
    byte[] postFiles(String path, Collection<Path> files) throws IOException {
        // Not UUID.randomUUID(): seeding SecureRandom costs a one-shot client tens of milliseconds, and a boundary
        // needs no secrecy.
        String boundary = "ppaforge-" + Long.toHexString(System.nanoTime())
                + Long.toHexString(ThreadLocalRandom.current().nextLong());
        HttpURLConnection c = open("POST", path);
        c.setDoOutput(true);
        c.setChunkedStreamingMode(1 << 16);
        c.setRequestProperty("Content-Type", "multipart/form-data; boundary=" + boundary);
        try (OutputStream out = c.getOutputStream()) {
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    throw ForgeException.invalid(f + ": no such file");
                }
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                                + f.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                Files.copy(f, out);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        } catch (ConnectException | SSLException e) {
            throw unreachable(e);
        }
        return answer(c);
    }

    /** Reads a JSON answer's body as {@code type}. */
    static <T> T parse(byte[] body, JavaType type) throws IOException {
        return JSON.readValue(body, type);
    }

    /** A connection to {@code path} (with the token), for requests this class does not build itself. */
    HttpURLConnection open(String method, String path) throws IOException {
        // HttpURLConnection rather than java.net.http: the latter's first use costs about a second in a fresh JVM here
        // (TLS set-up even for http), which would be most of a one-shot command.
        HttpURLConnection c =
                (HttpURLConnection) URI.create(server + path).toURL().openConnection();
        if (c instanceof HttpsURLConnection https && ca() != null) {
            https.setSSLSocketFactory(trusted().getSocketFactory());
        }
        c.setRequestMethod(method);
        if (token != null && !token.isBlank()) {
            c.setRequestProperty("Authorization", "Bearer " + token.strip());
        }
        return c;
    }

    /** The certificate(s) to trust for an https server instead of Java's CAs: $PPAFORGE_CA_CERT, else 'ca' in the config file. */
    static Path caCert() {
        String ca = System.getenv("PPAFORGE_CA_CERT");
        if (ca == null || ca.isBlank()) {
            ca = Config.get("ca");
        }
        return ca == null || ca.isBlank() ? null : Path.of(ca);
    }

    private Path ca;
    private boolean caLookedUp;
    private SSLContext trusted;

    /** {@link #caCert()}, looked up once per client and only for https. */
    private Path ca() {
        if (!caLookedUp) {
            ca = caCert();
            caLookedUp = true;
        }
        return ca;
    }

    private SSLContext trusted() throws IOException {
        if (trusted == null) {
            trusted = Tls.trusting(ca());
        }
        return trusted;
    }

    private byte[] send(String method, String path, byte[] body, String contentType) throws IOException {
        HttpURLConnection c = open(method, path);
        c.setRequestProperty("Accept", "application/json");
        try {
            if (body != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", contentType);
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            return answer(c);
        } catch (ConnectException | SSLException e) {
            throw unreachable(e);
        }
    }

    /** A connection that could not be made, or a TLS handshake that failed, in words that say what to do. */
    IOException unreachable(IOException e) {
        if (e instanceof SSLException) {
            return new IOException(
                    "the TLS connection to the ppaforge server at " + server + " failed: " + e.getMessage()
                            + (ca() == null
                                    ? " (for a self-signed or private-CA certificate, set $PPAFORGE_CA_CERT to its PEM file)"
                                    : ""),
                    e);
        }
        return new IOException("cannot reach the ppaforge server at " + server + ": " + e.getMessage(), e);
    }

    /** The body of a successful answer; an error answer becomes the server's failure. */
    byte[] answer(HttpURLConnection c) throws IOException {
        int status = c.getResponseCode();
        byte[] body;
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            body = in == null ? new byte[0] : in.readAllBytes();
        }
        if (status / 100 == 2) {
            return body;
        }
        // The JSON body has the message; when the connection hides the body (a 401 in streaming mode), the reason
        // phrase carries the same message.
        String message = null;
        try {
            message = body.length == 0 ? null : RemoteInclude.errorMessage(body);
        } catch (IOException e) {
            // not JSON: use the status line
        }
        if (message == null) {
            message = c.getResponseMessage() == null ? "HTTP " + status : c.getResponseMessage();
        }
        throw new ForgeException(HttpStatuses.kindOf(status), "server " + server + ": " + message);
    }

    /** A value read from its JSON string form. */
    private static final class FromString<T> extends FromStringDeserializer<T> {
        private final Function<String, T> parse;

        FromString(Class<T> type, Function<String, T> parse) {
            super(type);
            this.parse = parse;
        }

        @Override
        protected T _deserialize(String value, DeserializationContext ctxt) {
            return parse.apply(value);
        }
    }
}
