package org.ppaforge.debian.control;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes stanzas as deb822 text (UTF-8). {@link Style#SEPARATED} puts one empty line
 * between stanzas (control files, .dsc, .changes); {@link Style#TERMINATED} ends every
 * stanza with one (Packages and Sources indices, as the Debian archive writes them).
 */
public final class Deb822Writer implements Closeable, Flushable {
    public enum Style {
        SEPARATED,
        TERMINATED
    }

    private final Writer out;
    private final Style style;
    private final StringBuilder scratch = new StringBuilder(4096);
    private boolean first = true;

    public Deb822Writer(OutputStream out, Style style) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        this.style = style;
    }

    /** All stanzas as one text, as a {@link Deb822Writer} of that style would write them. */
    public static String toText(List<Stanza> stanzas, Style style) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < stanzas.size(); i++) {
            append(sb, stanzas.get(i), i == 0, style);
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, Stanza stanza, boolean first, Style style) {
        if (!first && style == Style.SEPARATED) {
            sb.append('\n');
        }
        stanza.appendTo(sb);
        if (style == Style.TERMINATED) {
            sb.append('\n');
        }
    }

    public Deb822Writer write(Stanza stanza) {
        scratch.setLength(0);
        append(scratch, stanza, first, style);
        first = false;
        try {
            out.append(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    @Override
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
