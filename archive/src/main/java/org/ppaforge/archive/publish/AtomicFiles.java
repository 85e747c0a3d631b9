package org.ppaforge.archive.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Replacing a file so that readers (apt, other processes) see the old content or the new, never a part. */
final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Writes {@code bytes} under a temporary dot-name beside {@code file}, unique to this process and thread,
     * then renames it over {@code file}.
     */
    static void write(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(".tmp-" + file.getFileName() + "-"
                + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
