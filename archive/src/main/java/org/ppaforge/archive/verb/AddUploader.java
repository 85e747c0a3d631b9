package org.ppaforge.archive.verb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.Uploader;
import org.ppaforge.archive.signing.OpenPgp;

/**
 * Adds the public key(s) of a key file to an archive's uploaders keyring: keys whose
 * signatures on a .changes let an upload in. New keys that are revoked or expired are
 * refused, naming the key and the reason. A key already in the keyring is refreshed: its
 * new signatures (a revocation, a new expiry date) are merged into the stored copy, so a
 * revoked uploader key stops signing uploads; the same key with nothing new is refused.
 */
public final class AddUploader {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String archive;
    private byte[] keyData;
    private String source = "key file";

    public AddUploader(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public AddUploader caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public AddUploader archive(String archive) {
        this.archive = archive;
        return this;
    }

    public AddUploader key(byte[] data, String source) {
        this.keyData = data;
        this.source = source;
        return this;
    }

    /** A key added, or (refreshed) a known key whose stored copy was brought up to date. */
    public record Added(Uploader uploader, boolean refreshed) {}

    public List<Added> call() {
        caller.admin(ppa);
        List<PGPPublicKeyRing> rings;
        try {
            rings = OpenPgp.readPublicRings(keyData, source);
        } catch (IllegalArgumentException e) {
            throw ArchiveException.invalid(e.getMessage());
        }
        Date now = new Date();
        return ppa.metadata().write(tx -> {
            Archive a = Lookup.archive(tx, archive);
            Map<String, Uploader> known = new HashMap<>();
            tx.uploaders(a.id()).forEach(u -> known.put(u.fingerprint(), u));
            List<Added> added = new ArrayList<>();
            Instant t = ppa.clock().instant();
            for (PGPPublicKeyRing r : rings) {
                PGPPublicKey k = r.getPublicKey();
                String fpr = OpenPgp.fingerprint(k);
                Uploader before = known.get(fpr);
                if (before != null) {
                    // A known key again: its new signatures (a revocation, a new expiry, new subkeys) are merged in, so
                    // the archive learns that a key was revoked; the same key with nothing new is refused.
                    PGPPublicKeyRing old = OpenPgp.readPublicRing(before.publicKey());
                    PGPPublicKeyRing merged;
                    try {
                        merged = PGPPublicKeyRing.join(old, r);
                    } catch (PGPException e) {
                        throw ArchiveException.invalid(
                                source + ": key " + fpr + " cannot be merged with the stored copy: " + e.getMessage());
                    }
                    String armoured = OpenPgp.armor(merged);
                    if (armoured.equals(OpenPgp.armor(old))) {
                        throw ArchiveException.refused("key " + fpr + " is already an uploader of " + a.name() + " ("
                                + source + " has nothing new about it)");
                    }
                    tx.updateUploader(a.id(), fpr, armoured);
                    added.add(
                            new Added(new Uploader(a.name(), fpr, before.userIds(), armoured, before.addedAt()), true));
                    continue;
                }
                String why = OpenPgp.unusableBecause(k, now);
                if (why != null) {
                    throw ArchiveException.refused(source + ": key " + fpr + " cannot be an uploader: " + why);
                }
                List<String> uids = new ArrayList<>();
                k.getUserIDs().forEachRemaining(uids::add);
                String armoured = OpenPgp.armor(r);
                tx.insertUploader(a.id(), fpr, String.join("; ", uids), armoured, t);
                added.add(new Added(new Uploader(a.name(), fpr, String.join("; ", uids), armoured, t), false));
            }
            return added;
        });
    }
}
