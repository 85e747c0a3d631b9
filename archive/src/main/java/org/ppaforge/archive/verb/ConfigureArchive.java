package org.ppaforge.archive.verb;

import java.time.Duration;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.PublishSettings;

/**
 * Changes how an archive publishes (Release's Origin, Label, NotAutomatic,
 * ButAutomaticUpgrades, Valid-Until; how long superseded files stay) and republishes it.
 * Unset options keep their value.
 */
public final class ConfigureArchive {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String archive;
    private String origin;
    private String label;
    private Boolean notAutomatic;
    private Boolean butAutomaticUpgrades;
    private Duration validFor;
    private boolean clearValidFor;
    private Duration keepSuperseded;
    private Boolean privateArchive;

    public ConfigureArchive(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public ConfigureArchive caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public ConfigureArchive archive(String archive) {
        this.archive = archive;
        return this;
    }

    public ConfigureArchive origin(String origin) {
        this.origin = origin;
        return this;
    }

    public ConfigureArchive label(String label) {
        this.label = label;
        return this;
    }

    public ConfigureArchive notAutomatic(Boolean on) {
        this.notAutomatic = on;
        return this;
    }

    public ConfigureArchive butAutomaticUpgrades(Boolean on) {
        this.butAutomaticUpgrades = on;
        return this;
    }

    /** Valid-Until = Date + this; {@link Duration#ZERO} removes Valid-Until. */
    public ConfigureArchive validFor(Duration d) {
        if (d != null && d.isZero()) {
            this.clearValidFor = true;
        } else {
            this.validFor = d;
        }
        return this;
    }

    public ConfigureArchive keepSuperseded(Duration d) {
        this.keepSuperseded = d;
        return this;
    }

    /** Private: served only to requests with a token covering the archive (apt sends it from auth.conf). */
    public ConfigureArchive privateArchive(Boolean on) {
        this.privateArchive = on;
        return this;
    }

    public PublishSettings call() {
        caller.admin(ppa);
        for (String v : new String[] {origin, label}) {
            if (v != null && (v.isBlank() || v.contains("\n"))) {
                throw ArchiveException.invalid("Origin and Label must be one non-empty line, not '" + v + "'");
            }
        }
        if (keepSuperseded != null && keepSuperseded.isNegative() || validFor != null && validFor.isNegative()) {
            throw ArchiveException.invalid("durations cannot be negative");
        }
        PublishSettings updated = ppa.metadata().write(tx -> {
            Archive a = Lookup.archive(tx, archive);
            PublishSettings s = tx.publishSettings(a.id());
            PublishSettings n = new PublishSettings(
                    origin != null ? origin : s.origin(),
                    label != null ? label : s.label(),
                    notAutomatic != null ? notAutomatic : s.notAutomatic(),
                    butAutomaticUpgrades != null ? butAutomaticUpgrades : s.butAutomaticUpgrades(),
                    clearValidFor ? null : validFor != null ? validFor : s.validFor(),
                    keepSuperseded != null ? keepSuperseded : s.keepSuperseded(),
                    privateArchive != null ? privateArchive : s.privateArchive());
            tx.setPublishSettings(a.id(), n);
            return n;
        });
        ppa.accessCache().clear(); // who may read what changed: apt reads see it now
        ppa.changed(archive);
        return updated;
    }
}
