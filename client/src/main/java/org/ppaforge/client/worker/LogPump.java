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

    /** The log has ended: what the redactor held back goes too, in one try (a stopping worker does not wait). */
    void end() throws IOException, InterruptedException {
        redactor.flush();
        flush();
    }

    /**
     * The log has ended: what the redactor held back goes too, retried while the server cannot be reached (a server
     * restarting as the build ends loses none of its log).
     */
    void endPatiently(java.util.function.Consumer<String> say) throws IOException, InterruptedException {
        redactor.flush();
        api.patiently("sending the end of build " + build + "'s log", say, () -> {
            flush();
            return null;
        });
    }

    /**
     * Sends what is pending, one chunk at a time, one sender at a time; a chunk that did not go stays first in line
     * for the next try.
     */
    void flush() throws IOException, InterruptedException {
        synchronized (sending) {
            while (true) {
                String chunk;
                synchronized (this) {
                    if (pending.length() == 0) {
                        return;
                    }
                    chunk = pending.substring(0, Math.min(pending.length(), CHUNK));
                }
                api.appendLog(build, chunk);
                synchronized (this) {
                    pending.delete(0, chunk.length());
                }
            }
        }
    }

    private final Object sending = new Object();
}
