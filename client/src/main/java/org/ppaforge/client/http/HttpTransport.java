package org.ppaforge.client.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.ppaforge.client.wire.HttpStatuses;
import org.ppaforge.client.wire.Json;
import org.ppaforge.common.ForgeException;

/**
 * The client's side of the JSON API: sends a request with the token, and turns the answer into the verb's result type,
 * or the server's error into the same failure (kind, and the message after the server's name) the local verb gives.
 * {@link java.net.HttpURLConnection} rather than java.net.http: the latter's first use costs about a second in a fresh
 * JVM (TLS set-up even for http), which would be most of a one-shot command.
 */
public final class HttpTransport {
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final String server;
    private final String token;
    private final Path ca;
    private final Consumer<String> timings;

    /**
     * @param server the server's base URL (no trailing slash)
     * @param token the bearer token, or null
     * @param ca a PEM file of the certificates to trust for an https server instead of Java's CAs, or null
     * @param timings where the client's own timings go (milliseconds since the JVM started), or null
     */
    public HttpTransport(String server, String token, Path ca, Consumer<String> timings) {
        this.server = server;
        this.token = token;
        this.ca = ca;
        this.timings = timings;
    }

    public HttpTransport(String server, String token, Path ca) {
        this(server, token, ca, null);
    }

    /** Reports {@code what} with the milliseconds since the JVM started (start-up cost of a one-shot client). */
    void timing(String what) {
        if (timings != null) {
            timings.accept(
                    what + " at " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms since the JVM started");
        }
    }

    public String server() {
        return server;
    }

    /** A JSON object of these name, value pairs (null values left out). */
    public static Map<String, Object> body(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                m.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return m;
    }

    public static JavaType listOf(Class<?> element) {
        return Json.listOf(element);
    }

    public static JavaType of(Class<?> type) {
        return Json.of(type);
    }

    /** GETs {@code path}; I/O failures are unchecked (commands' call methods declare none). */
    public <T> T get(String path, JavaType type) {
        try {
            return Json.MAPPER.readValue(send("GET", path, null, null), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** POSTs {@code body} (any value Jackson writes; null: no body) as JSON. */
    public <T> T post(String path, Object body, JavaType type) {
        byte[] json;
        try {
            json = body == null ? null : Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request as JSON: " + e.getMessage(), e);
        }
        return postBytes(path, json, "application/json", type);
    }

    /** POSTs these bytes as they are (e.g. a key file), of this content type. */
    public <T> T postBytes(String path, byte[] body, String contentType, JavaType type) {
        try {
            return Json.MAPPER.readValue(send("POST", path, body, contentType), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * POSTs files as multipart/form-data parts named 'file' (each under its own name), streamed; the answer's body.
     */
    public byte[] postFiles(String path, Collection<Path> files) throws IOException {
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
    public static <T> T parse(byte[] body, JavaType type) throws IOException {
        return Json.MAPPER.readValue(body, type);
    }

    /** A connection to {@code path} (with the token), for requests this class does not build itself. */
    public HttpURLConnection open(String method, String path) throws IOException {
        HttpURLConnection c =
                (HttpURLConnection) URI.create(server + path).toURL().openConnection();
        if (c instanceof HttpsURLConnection https && ca != null) {
            https.setSSLSocketFactory(trusted().getSocketFactory());
        }
        c.setRequestMethod(method);
        // A server that does not answer the connection fails the command in seconds, not after the system's two
        // minutes; no read timeout: an include or a copy into a large archive may rightly take long.
        c.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        if (token != null && !token.isBlank()) {
            c.setRequestProperty("Authorization", "Bearer " + token.strip());
        }
        return c;
    }

    private SSLContext trusted;

    private SSLContext trusted() throws IOException {
        if (trusted == null) {
            trusted = Trust.trusting(ca);
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
    public IOException unreachable(IOException e) {
        if (e instanceof SSLException) {
            return new IOException(
                    "the TLS connection to the ppaforge server at " + server + " failed: " + e.getMessage()
                            + (ca == null
                                    ? " (for a self-signed or private-CA certificate, set $PPAFORGE_CA_CERT to its PEM file)"
                                    : ""),
                    e);
        }
        return new IOException("cannot reach the ppaforge server at " + server + ": " + e.getMessage(), e);
    }

    /** The body of a successful answer; an error answer becomes the server's failure. */
    public byte[] answer(HttpURLConnection c) throws IOException {
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
            message = body.length == 0 ? null : errorMessage(body);
        } catch (IOException e) {
            // not JSON: use the status line
        }
        if (message == null) {
            message = c.getResponseMessage() == null ? "HTTP " + status : c.getResponseMessage();
        }
        throw new ForgeException(HttpStatuses.kindOf(status), "server " + server + ": " + message);
    }

    /** The {@code error.message} of an error answer, or null (read with the streaming parser: no object mapper). */
    public static String errorMessage(byte[] body) throws IOException {
        try (JsonParser p = STREAMING.createParser(body)) {
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

    private static final JsonFactory STREAMING = new JsonFactory();
}
