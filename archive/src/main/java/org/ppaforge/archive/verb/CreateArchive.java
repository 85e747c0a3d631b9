package org.ppaforge.archive.verb;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.common.Names;

/** Creates an archive (PPA) for some series, components and architectures. */
public final class CreateArchive {
    private static final Pattern NAME = Names.ARCHIVE;
    /** Names the server's own paths take ({@code /api/}, {@code /upload/}, {@code /metrics}): no archive is served there. */
    static final List<String> RESERVED = List.of("api", "metrics", "upload");

    private static final Pattern ARCH = Names.ARCHITECTURE;

    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String name;
    private String description = "";
    private List<String> series = List.of();
    private List<String> components = List.of("main");
    private List<String> architectures = List.of();
    private String keyType = "ed25519";

    public CreateArchive(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public CreateArchive caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public CreateArchive name(String name) {
        this.name = name;
        return this;
    }

    public CreateArchive description(String description) {
        this.description = description == null ? "" : description;
        return this;
    }

    public CreateArchive series(List<String> series) {
        this.series = List.copyOf(series);
        return this;
    }

    public CreateArchive components(List<String> components) {
        this.components = List.copyOf(components);
        return this;
    }

    public CreateArchive architectures(List<String> architectures) {
        this.architectures = List.copyOf(architectures);
        return this;
    }

    /** The signing key to generate ({@code ed25519}, the default, or {@code rsa4096}); null: none (unsigned until one is added). */
    public CreateArchive key(String keyType) {
        this.keyType = keyType;
        return this;
    }

    public Archive call() {
        caller.admin(ppa);
        check("archive", List.of(name == null ? "" : name), NAME);
        if (RESERVED.contains(name)) {
            throw ArchiveException.invalid("'" + name + "' cannot name an archive: the server answers /" + name
                    + "/ itself (reserved: " + String.join(", ", RESERVED) + ")");
        }
        check("series", series, NAME);
        check("component", components, NAME);
        check("architecture", architectures, ARCH);
        for (String a : architectures) {
            if (a.equals("all") || a.equals("source") || a.equals("any")) {
                throw ArchiveException.invalid(
                        "'" + a + "' is not a build architecture: name real ones such as amd64, arm64 "
                                + "(Architecture: all packages are published for every one of them)");
            }
        }
        if (keyType != null) {
            KeySupport.type(keyType);
            ppa.secretKeys().checkGenerated(ppa.keyPassphrase());
        }
        Archive created = ppa.metadata().write(tx -> {
            if (tx.archive(name).isPresent()) {
                throw ArchiveException.refused("archive '" + name + "' already exists");
            }
            return tx.createArchive(
                    name,
                    description,
                    series,
                    components,
                    architectures,
                    ppa.clock().instant());
        });
        ppa.accessCache().clear(); // who may read what changed: apt reads see it now
        if (keyType != null) {
            ppa.generateKey().archive(name).type(keyType).call(); // publishes the (empty) archive, signed
        } else {
            ppa.changed(name);
        }
        return created;
    }

    private static void check(String what, List<String> values, Pattern pattern) {
        if (values.isEmpty()) {
            throw ArchiveException.invalid("an archive needs at least one " + what);
        }
        List<String> seen = new ArrayList<>();
        for (String v : values) {
            if (!pattern.matcher(v).matches()) {
                throw ArchiveException.invalid(
                        "invalid " + what + " name '" + v + "': use lower-case letters, digits and "
                                + (what.equals("architecture") ? "'-'" : "'.', '+', '-'")
                                + ", starting with a letter or digit");
            }
            if (seen.contains(v)) {
                throw ArchiveException.invalid(what + " '" + v + "' is given twice");
            }
            seen.add(v);
        }
    }
}
