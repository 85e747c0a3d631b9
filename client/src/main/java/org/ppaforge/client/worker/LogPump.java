package org.ppaforge.client.worker;

import java.io.IOException;
import java.util.Arrays;
import org.ppaforge.farm.Redactor;

/**
 * A build's log on its way to the server, in chunks of at most 512 KiB. The lease's read credential (in the URLs of
 * private dependency archives that sbuild prints) and, as a second line of defence, the worker's token are blanked
 * here, across chunk boundaries, before anything leaves the worker. (A build can still print the read credential
 * disguised; it is void once the build ends.)
 */
final class LogPump {
    private static final int CHUNK = 512 * 1024;

    private final WorkerApi api;
    private final long build;
    private final StringBuilder pending = new StringBuilder();
    private final Redactor redactor;

    LogPump(WorkerApi api, long build, String readToken) {
        this.api = api;
        this.build = build;
        this.redactor = new Redactor(Arrays.asList(api.token(), readToken), this::ready); // drops missing ones
    }

    void add(String text) {
        redactor.accept(text);
    }

    private synchronized void ready(String text) {
        pending.append(text);
    }

    /** The log has ended: what the redactor held back goes too. */
    void end() throws IOException, InterruptedException {
        redactor.flush();
        flush();
    }

    void flush() throws IOException, InterruptedException {
        while (true) {
            String chunk;
            synchronized (this) {
                if (pending.length() == 0) {
                    return;
                }
                int n = Math.min(pending.length(), CHUNK);
                chunk = pending.substring(0, n);
                pending.delete(0, n);
            }
            api.appendLog(build, chunk);
        }
    }
}
