package org.ppaforge.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;

/**
 * Where backups are kept: named objects under a few prefixes ({@code config}, {@code data/}, {@code snapshots/},
 * {@code locks/}). Nothing is ever changed in place: an object appears whole (written aside, then renamed) or not at
 * all, so a killed backup leaves only whole objects, which the next one reuses. A directory today; an S3 bucket and
 * prefix implement the same five operations.
 */
interface Target {
    boolean exists(String name) throws IOException;

    /** The names under {@code prefix} (e.g. {@code data/}), without it. */
    Set<String> list(String prefix) throws IOException;

    InputStream open(String name) throws IOException;

    /** The {@code length} bytes of an object from {@code offset} on (one blob of a pack; a range read on S3). */
    default InputStream open(String name, long offset, long length) throws IOException {
        InputStream in = open(name);
        in.skipNBytes(offset);
        return new Bounded(in, length);
    }

    default byte[] read(String name) throws IOException {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        }
    }

    /** Writes an object whole: {@code writer} fills it; a failure leaves nothing under the name. */
    void write(String name, Writer writer) throws IOException;

    default void put(String name, byte[] bytes) throws IOException {
        write(name, out -> out.write(bytes));
    }

    void delete(String name) throws IOException;

    /** Makes everything written so far durable (before a snapshot is written: it must never name a lost object). */
    default void sync() throws IOException {}

    /** The bytes stored under a name (for progress and {@code du}). */
    long size(String name) throws IOException;

    /** At most {@code left} bytes of another stream, then its end. */
    final class Bounded extends java.io.FilterInputStream {
        private long left;

        Bounded(InputStream in, long left) {
            super(in);
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            left -= b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            left -= Math.max(n, 0);
            return n;
        }
    }

    interface Writer {
        void write(OutputStream out) throws IOException;
    }
}
