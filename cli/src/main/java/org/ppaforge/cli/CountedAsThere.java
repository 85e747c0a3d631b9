package org.ppaforge.cli;

import java.io.PrintWriter;
import java.util.List;
import org.ppaforge.client.Clients;

/**
 * The archives whose packages count as there when a copy or sync checks dependencies: those named, or by default the
 * target's dependency archives (as 'ppa archive set ARCHIVE --depends' names them), said on stderr.
 */
final class CountedAsThere {
    private CountedAsThere() {}

    static List<String> of(Clients clients, String to, List<String> named, boolean quiet, PrintWriter err) {
        if (named != null) {
            return named;
        }
        List<String> also = clients.farm().dependencies(to).stream()
                .filter(d -> d.kind().equals("archive"))
                .map(d -> d.value())
                .toList();
        if (!also.isEmpty() && !quiet) {
            err.println("counting as there: " + String.join(", ", also) + " (" + to
                    + "'s dependency archives; --satisfied-by names others)");
        }
        return also;
    }
}
