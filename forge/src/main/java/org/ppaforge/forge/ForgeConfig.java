package org.ppaforge.forge;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.farm.Builds;

/**
 * Everything the modules are opened with: the archive core's settings (data directory, publish directory, limits, key
 * passphrase, clock, diagnostics) and where the modules report trouble that happens in the background. Front ends build
 * it (the CLI from its options and environment); modules read no environment themselves.
 *
 * @param leaseTime how long a build lease lasts without a heartbeat
 * @param problems where background trouble is reported (a pipeline repository that cannot be fetched, builds that
 *     cannot be queued); one line each
 */
public record ForgeConfig(ArchiveSettings archive, Duration leaseTime, Consumer<String> problems) {
    /** The embedded defaults under {@code dataDir}; background trouble is dropped. */
    public static ForgeConfig of(Path dataDir) {
        return new ForgeConfig(ArchiveSettings.of(dataDir), Builds.LEASE_TIME, problem -> {});
    }

    public ForgeConfig withArchive(ArchiveSettings settings) {
        return new ForgeConfig(settings, leaseTime, problems);
    }

    /** The clock every module records its times by (default: the system's); a test may move it. */
    public ForgeConfig withClock(Clock clock) {
        return withArchive(archive.withClock(clock));
    }

    /** How long a build lease lasts without a heartbeat (default 90 s). */
    public ForgeConfig withLeaseTime(Duration d) {
        return new ForgeConfig(archive, d, problems);
    }

    public ForgeConfig withProblems(Consumer<String> sink) {
        return new ForgeConfig(archive, leaseTime, sink);
    }

    public Path dataDir() {
        return archive.dataDir();
    }
}
