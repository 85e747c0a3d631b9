package org.ppaforge.archive.verb;

import java.util.List;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.archive.signing.OpenPgp;

/**
 * The archive's public keys as one ASCII-armoured block: what clients put in
 * {@code Signed-By}. By default the active keys (during a transition, old and new).
 */
public final class ExportKey {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String archive;
    private String key;

    public ExportKey(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public ExportKey caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public ExportKey archive(String archive) {
        this.archive = archive;
        return this;
    }

    /** Only this key (fingerprint or its last 8+ hex digits), active or retired. */
    public ExportKey key(String key) {
        this.key = key;
        return this;
    }

    public String call() {
        caller.read(ppa, archive);
        List<ArchiveKey> keys = ppa.metadata().read(tx -> {
            Archive a = Lookup.archive(tx, archive);
            if (key != null) {
                return List.of(KeySupport.find(tx, a, key));
            }
            List<ArchiveKey> active = KeySupport.active(tx, a);
            if (active.isEmpty()) {
                throw ArchiveException.notFound("archive '" + a.name()
                        + "' has no signing key: create one with 'ppa key generate " + a.name() + "'");
            }
            return active;
        });
        return OpenPgp.armor(
                keys.stream().map(k -> OpenPgp.readPublicRing(k.publicKey())).toArray(PGPPublicKeyRing[]::new));
    }
}
