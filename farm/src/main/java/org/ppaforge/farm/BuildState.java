package org.ppaforge.farm;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a build is, in ppaforge's words; Launchpad's names in brackets. A build is final once it is built, failed,
 * superseded or cancelled; {@link #DEPENDENCY_WAIT} and {@link #CHROOT_WAIT} leave by themselves when what they wait
 * for appears.
 */
public enum BuildState {
    /** Queued for a worker (NEEDSBUILD). */
    WAITING,
    /** Leased by a worker (BUILDING). */
    BUILDING,
    /** The worker returned results; they are being checked and included (UPLOADING). */
    UPLOADING,
    /** Binaries published (FULLYBUILT). */
    BUILT,
    /** The package did not build (FAILEDTOBUILD). */
    FAILED_TO_BUILD,
    /** Build-dependencies cannot be satisfied yet; the unmet relations are recorded (MANUALDEPWAIT). */
    DEPENDENCY_WAIT,
    /** No build environment for the series and architecture (CHROOTWAIT). */
    CHROOT_WAIT,
    /** A newer version of the source arrived first (SUPERSEDED). */
    SUPERSEDED,
    /** The results were refused by the archive's rules (FAILEDTOUPLOAD). */
    FAILED_TO_UPLOAD,
    /** Cancelled by a user (CANCELLED). */
    CANCELLED;

    /** As the CLI and API write it: {@code failed-to-build}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static BuildState parse(String s) {
        for (BuildState b : values()) {
            if (b.label().equals(s) || b.name().equalsIgnoreCase(s)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown build state '" + s + "' (states: "
                + String.join(
                        ", ", Arrays.stream(values()).map(BuildState::label).toList()) + ")");
    }

    public boolean isFinal() {
        return this == BUILT
                || this == FAILED_TO_BUILD
                || this == SUPERSEDED
                || this == FAILED_TO_UPLOAD
                || this == CANCELLED;
    }

    /** Not started and not final: may still be superseded or cancelled without a worker. */
    public boolean isPending() {
        return this == WAITING || this == DEPENDENCY_WAIT || this == CHROOT_WAIT;
    }
}
