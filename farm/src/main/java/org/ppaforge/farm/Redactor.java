package org.ppaforge.farm;

import java.util.List;
import java.util.function.Consumer;

/**
 * Blanks secrets (a build worker's token, a pipeline's callback secret) in text that arrives in chunks, before it
 * reaches a log: a secret cut in two by a chunk boundary is still blanked, because the last characters that could start
 * one are held back until the next chunk (or {@link #flush}).
 */
public final class Redactor implements Consumer<String> {
    public static final String BLANK = "***";
    private final List<String> secrets;
    private final Consumer<String> out;
    private final int hold;
    private String pending = "";

    public Redactor(List<String> secrets, Consumer<String> out) {
        this.secrets = secrets.stream().filter(s -> s != null && !s.isEmpty()).toList();
        this.out = out;
        this.hold = this.secrets.stream().mapToInt(String::length).max().orElse(1) - 1;
    }

    @Override
    public synchronized void accept(String chunk) {
        String text = blank(pending + chunk);
        int keep = Math.min(hold, text.length());
        // Hold back a tail only when it could be the start of a secret.
        while (keep > 0 && !startsSecret(text.substring(text.length() - keep))) {
            keep--;
        }
        pending = text.substring(text.length() - keep);
        String ready = text.substring(0, text.length() - keep);
        if (!ready.isEmpty()) {
            out.accept(ready);
        }
    }

    /** Writes what was held back: the text has ended. */
    public synchronized void flush() {
        if (!pending.isEmpty()) {
            out.accept(pending);
            pending = "";
        }
    }

    private String blank(String text) {
        for (String s : secrets) {
            text = text.replace(s, BLANK);
        }
        return text;
    }

    private boolean startsSecret(String tail) {
        for (String s : secrets) {
            if (s.startsWith(tail)) {
                return true;
            }
        }
        return false;
    }
}
