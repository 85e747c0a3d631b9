package org.ppaforge.build.sbuild;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ppaforge.archive.ArchiveException;

/** Whether the external tools builds need are installed, and the one line saying what to install when not. */
public final class Tools {
    private Tools() {
    }

    public static boolean installed(String command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Throws "X is not installed: apt-get install P" unless {@code command} is on the PATH. */
    public static void require(String command, String debianPackage) {
        if (!installed(command)) {
            throw new ArchiveException(ArchiveException.Kind.INVALID, command + " is not installed: apt-get install " + debianPackage);
        }
    }
}
