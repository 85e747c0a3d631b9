package org.ppaforge.debian.deb;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * xz decompression by the xz tool (xz-utils, liblzma) when it is installed: about twice as fast as XZ for Java on
 * real .debs (a data member is read whole to list it for Contents, so this is most of an include's time). The
 * compressed bytes are fed to {@code xz -dc} by a helper thread; {@link #close} stops the tool and waits for the
 * helper, so the caller may go on reading the underlying stream. The memory xz may use is bounded
 * ({@code --memlimit-decompress}), as XZ for Java's is. Without xz on the PATH (or with
 * {@code -Dppaforge.nativeXz=false}), {@link #installed} is false and callers use XZ for Java.
 */
public final class NativeXz extends FilterInputStream {
    /** The most memory one decompression may take, in MiB (a crafted header may ask for 1.5 GiB of dictionary). */
    static final int MEMLIMIT_MIB = 256;
    /** Members smaller than this are decoded in Java: starting a process costs more than they take. */
    static final long MIN_SIZE = 128 * 1024;

    private static final String XZ = find();
    private static final ExecutorService FEEDERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ppaforge-xz-feeder");
        t.setDaemon(true);
        return t;
    });
    private final Process process;
    private final Future<?> feeder;
    private boolean closed;

    private static String find() {
        if ("false".equals(System.getProperty("ppaforge.nativeXz"))) {
            return null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "xz");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    public static boolean installed() {
        return XZ != null;
    }

    /**
     * {@code data} compressed by {@code xz -6} into a single-block stream with a CRC32 check (one thread, so one block):
     * the archive's whole index groups, about twice as fast as XZ for Java at the same preset. Throws when the tool
     * fails; callers check {@link #installed} first.
     */
    public static byte[] compress(byte[] data) throws IOException {
        Process p = new ProcessBuilder(XZ, "-6", "-T1", "--check=crc32", "-c", "-q").start();
        Future<?> feeder = FEEDERS.submit(() -> {
            try (OutputStream to = p.getOutputStream()) {
                to.write(data);
            }
            return null;
        });
        byte[] out;
        try (InputStream from = p.getInputStream()) {
            out = from.readAllBytes();
        }
        try {
            feeder.get();
            int status = p.waitFor();
            if (status != 0) {
                String why = new String(p.getErrorStream().readNBytes(2000), StandardCharsets.UTF_8).strip();
                throw new IOException("xz: " + (why.isEmpty() ? "exit status " + status : why));
            }
        } catch (ExecutionException e) {
            throw new IOException("xz: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            p.getErrorStream().close();
        }
        return out;
    }

    private NativeXz(Process process, Future<?> feeder) {
        super(new BufferedInputStream(process.getInputStream(), 1 << 16));
        this.process = process;
        this.feeder = feeder;
    }

    static InputStream decompress(InputStream compressed) throws IOException {
        Process p = new ProcessBuilder(XZ, "-dc", "-q", "--memlimit-decompress=" + MEMLIMIT_MIB + "MiB").start();
        Future<?> feeder = FEEDERS.submit(() -> {
            try (OutputStream to = p.getOutputStream()) {
                compressed.transferTo(to);
            } catch (IOException e) {
                // xz stopped reading (closed early, or the data is corrupt): its exit status says which
            }
            return null;
        });
        return new NativeXz(p, feeder);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            checkExit();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            checkExit();
        }
        return n;
    }

    /** At the end of the output: a corrupt stream is an error here as in XZ for Java, with xz's own words. */
    private void checkExit() throws IOException {
        try {
            int status = process.waitFor();
            if (status != 0) {
                String why = new String(process.getErrorStream().readNBytes(2000), StandardCharsets.UTF_8).strip();
                throw new IOException("xz: "
                        + (why.isEmpty() ? "exit status " + status : why.replaceFirst("^xz: \\(stdin\\): ", "")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        process.destroy();
        try {
            feeder.get();
        } catch (ExecutionException | InterruptedException e) {
            // the feeder ends with the process
        } finally {
            process.getInputStream().close();
            process.getErrorStream().close();
        }
    }
}
