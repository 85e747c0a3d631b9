package org.ppaforge.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The user's config file, {@code $XDG_CONFIG_HOME/ppaforge/config} (else
 * {@code ~/.config/ppaforge/config}): lines {@code key = value}, {@code #} comments. Keys:
 * {@code server} (a server URL, as {@code --server}) and {@code token} (as $PPAFORGE_TOKEN).
 * Options and environment variables win over it.
 */
final class Config {
    private Config() {}

    static Path file() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home().resolve(".config");
        return base.resolve("ppaforge").resolve("config");
    }

    /**
     * The user's home: {@code $HOME} when set, as for every other Unix tool (Java's
     * {@code user.home} comes from the password database and ignores it), else {@code user.home}.
     */
    static Path home() {
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    /** The value of {@code key}, or null. */
    static String get(String key) {
        Path f = file();
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(f)) {
                String l = line.strip();
                int eq = l.indexOf('=');
                if (l.startsWith("#") || eq < 0) {
                    continue;
                }
                if (l.substring(0, eq).strip().equals(key)) {
                    return l.substring(eq + 1).strip();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
        return null;
    }
}
