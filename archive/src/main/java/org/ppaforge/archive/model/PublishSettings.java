package org.ppaforge.archive.model;

import java.time.Duration;

/**
 * How an archive's Release files read and how long superseded files stay. Origin and
 * Label must stay stable once clients use the archive (apt stops on a change).
 *
 * @param origin Release {@code Origin} (null: {@code ppaforge})
 * @param label Release {@code Label} (null: the archive name)
 * @param validFor Release {@code Valid-Until} = date + this (null: none)
 * @param keepSuperseded how long superseded by-hash indices and pool files stay for clients mid-update
 * @param privateArchive served only to requests with a token that covers the archive (HTTP Basic for apt)
 */
public record PublishSettings(
        String origin,
        String label,
        boolean notAutomatic,
        boolean butAutomaticUpgrades,
        Duration validFor,
        Duration keepSuperseded,
        boolean privateArchive) {
    public static final PublishSettings DEFAULT =
            new PublishSettings(null, null, false, false, null, Duration.ofDays(1), false);

    public String originOr(String archive) {
        return origin == null ? "ppaforge" : origin;
    }

    public String labelOr(String archive) {
        return label == null ? archive : label;
    }
}
