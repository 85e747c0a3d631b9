package org.ppaforge.cli;

import java.nio.file.Path;
import org.ppaforge.archive.Ppaforge;
import picocli.CommandLine.Option;

/** The {@code --data-dir} option every archive command takes, and where it defaults to. */
final class DataDir {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "where archives live (ppaforge.db and pool/); default: $PPAFORGE_HOME, else "
                + "$XDG_DATA_HOME/ppaforge, else ~/.local/share/ppaforge")
    Path dataDir;

    Path resolve() {
        if (dataDir != null) {
            return dataDir;
        }
        String home = System.getenv("PPAFORGE_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "ppaforge");
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "ppaforge");
    }

    Ppaforge open() {
        return Ppaforge.open(resolve());
    }
}
