package org.ppaforge.archive.verb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.Uploader;
import org.ppaforge.archive.signing.OpenPgp;

/**
 * Adds the public key(s) of a key file to an archive's uploaders keyring: keys whose
 * signatures on a .changes let an upload in. Revoked and expired keys are refused, naming
 * the key and the reason; so are keys already in the keyring.
 */
public final class AddUploader {
    private final Ppaforge ppa;
    private String archive;
    private byte[] keyData;
    private String source = "key file";

    public AddUploader(Ppaforge ppa) {
        this.ppa = ppa;
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

    public List<Uploader> call() {
        List<PGPPublicKeyRing> rings;
        try {
            rings = OpenPgp.readPublicRings(keyData, source);
        } catch (IllegalArgumentException e) {
            throw ArchiveException.invalid(e.getMessage());
        }
        Date now = new Date();
        for (PGPPublicKeyRing r : rings) {
            String why = OpenPgp.unusableBecause(r.getPublicKey(), now);
            if (why != null) {
                throw ArchiveException.refused(source + ": key " + OpenPgp.fingerprint(r.getPublicKey()) + " cannot be an uploader: "
                        + why);
            }
        }
        return ppa.metadata().write(tx -> {
            Archive a = Lookup.archive(tx, archive);
            List<String> known = tx.uploaders(a.id()).stream().map(Uploader::fingerprint).toList();
            List<Uploader> added = new ArrayList<>();
            Instant t = Instant.now();
            for (PGPPublicKeyRing r : rings) {
                PGPPublicKey k = r.getPublicKey();
                String fpr = OpenPgp.fingerprint(k);
                if (known.contains(fpr)) {
                    throw ArchiveException.refused("key " + fpr + " is already an uploader of " + a.name());
                }
                List<String> uids = new ArrayList<>();
                k.getUserIDs().forEachRemaining(uids::add);
                String armoured = OpenPgp.armor(r);
                tx.insertUploader(a.id(), fpr, String.join("; ", uids), armoured, t);
                added.add(new Uploader(a.name(), fpr, String.join("; ", uids), armoured, t));
            }
            return added;
        });
    }
}
