package org.ppaforge.archive.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import org.ppaforge.debian.checksum.Checksums;

/**
 * Downloads over HTTP(S) into files, each checked against the size and SHA-256 expected before it takes its name
 * (it is written as {@code NAME.part} first), with a bound on what a server may send. A file already in place with the
 * expected size and SHA-256 is not fetched again.
 */
public final class Download {
    private final HttpClient client;

    public Download() {
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Fetches {@code url} into {@code to}.
     *
     * @param size the size expected, or -1 (then at most {@code limit} bytes are taken)
     * @param sha256 the SHA-256 expected, or null
     */
    public Path get(String url, Path to, long size, String sha256, long limit)
            throws IOException, InterruptedException {
        if (size >= 0
                && sha256 != null
                && Files.isRegularFile(to)
                && Files.size(to) == size
                && sha256.equalsIgnoreCase(Checksums.sha256(to))) {
            return to;
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new RemoteException("'" + url + "' is not a URL");
        }
        HttpResponse<InputStream> r = client.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofMinutes(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            r.body().close();
            throw new IOException(url + ": HTTP " + r.statusCode());
        }
        long max = size >= 0 ? size : limit;
        Path part = to.resolveSibling(to.getFileName() + ".part");
        MessageDigest digest = Checksums.sha256Digest();
        long n = 0;
        try (InputStream in = r.body();
                OutputStream out = Files.newOutputStream(part)) {
            byte[] buf = new byte[1 << 16];
            for (int k; (k = in.read(buf)) > 0; ) {
                n += k;
                if (n > max) {
                    throw new RemoteException(url + " is larger than "
                            + (size >= 0 ? "the " + size + " bytes its index gives" : max + " bytes"));
                }
                digest.update(buf, 0, k);
                out.write(buf, 0, k);
            }
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        if (size >= 0 && n != size) {
            Files.deleteIfExists(part);
            throw new RemoteException(url + " has " + n + " bytes, its index says " + size);
        }
        if (sha256 != null && !Checksums.hex(digest.digest()).equalsIgnoreCase(sha256)) {
            Files.deleteIfExists(part);
            throw new RemoteException(url + ": its SHA-256 is not the one its index gives");
        }
        return Files.move(part, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
