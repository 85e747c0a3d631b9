package org.ppaforge.cli;

import java.io.PrintWriter;
import org.ppaforge.archive.Progress;

/** Draws progress on stderr, at most ten times a second, on one line that it rewrites. */
final class ProgressBar implements Progress {
    private final PrintWriter err;
    private long lastDraw;
    private String lastPhase = "";
    private boolean drawn;

    ProgressBar(PrintWriter err) {
        this.err = err;
    }

    /** A bar when asked for, or by default when stderr is a terminal; otherwise nothing. */
    static Progress choose(Boolean asked, PrintWriter err) {
        boolean on = asked != null ? asked : System.console() != null;
        return on ? new ProgressBar(err) : Progress.NONE;
    }

    @Override
    public synchronized void update(String phase, long done, long total) {
        long now = System.nanoTime();
        boolean last = total > 0 && done >= total;
        if (!last && phase.equals(lastPhase) && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        lastPhase = phase;
        StringBuilder line = new StringBuilder("\r").append(String.format("%-10s", phase));
        if (total > 0) {
            int width = 30;
            int filled = (int) (width * done / total);
            line.append(" [")
                    .append("#".repeat(filled))
                    .append(" ".repeat(width - filled))
                    .append("] ")
                    .append(done)
                    .append('/')
                    .append(total)
                    .append(String.format(" %3d%%", 100 * done / total));
        } else {
            line.append(' ').append(done);
        }
        err.print(line);
        if (last) {
            err.println();
        }
        err.flush();
        drawn = true;
    }

    boolean drawn() {
        return drawn;
    }
}
