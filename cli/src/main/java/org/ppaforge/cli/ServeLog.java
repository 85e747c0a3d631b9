package org.ppaforge.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import org.ppaforge.client.wire.Json;

/**
 * What {@code ppa serve} prints: one line per event. As text (the default) each line is the event as people read it,
 * trouble prefixed {@code warning:}; as JSON ({@code --log-format json}) each line is an object with {@code time},
 * {@code level} ({@code info} or {@code warning}) and {@code message}, as log collectors (journald's JSON, Fluent Bit,
 * Vector, Loki) take it.
 */
final class ServeLog {
    enum Format {
        text,
        json
    }

    private final PrintWriter out;
    private final Format format;

    ServeLog(PrintWriter out, Format format) {
        this.out = out;
        this.format = format;
    }

    void info(String line) {
        print("info", line);
    }

    /** Trouble: background work that failed, a setting that does not take effect. */
    void warn(String line) {
        print("warning", line);
    }

    private void print(String level, String line) {
        String text;
        if (format == Format.json) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("time", Instant.now().toString());
            o.put("level", level);
            o.put("message", line);
            text = o.toString();
        } else {
            text = level.equals("warning") && !line.startsWith("warning:") ? "warning: " + line : line;
        }
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }
}
