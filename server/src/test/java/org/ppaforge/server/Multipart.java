package org.ppaforge.server;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The multipart/form-data body of an API include: one part named 'file' per file, under its own file name. */
final class Multipart {
    private Multipart() {}

    static HttpRequest.BodyPublisher files(String boundary, Path... files) throws FileNotFoundException {
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        for (Path f : files) {
            parts.add(HttpRequest.BodyPublishers.ofString(
                    "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; " + "filename=\""
                            + f.getFileName() + "\"\r\n\r\n"));
            parts.add(HttpRequest.BodyPublishers.ofFile(f));
            parts.add(HttpRequest.BodyPublishers.ofString("\r\n"));
        }
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n"));
        return HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new));
    }
}
