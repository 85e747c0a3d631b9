package org.ppaforge.archive.verb;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.archive.store.StoreTx;

/** What the key verbs share: storing a key (secret file, then its row), finding one by fingerprint. */
final class KeySupport {
    private KeySupport() {}

    static String defaultUserId(String archive) {
        return "ppaforge archive " + archive + " <ppaforge-" + archive + "@localhost>";
    }

    static OpenPgp.KeyType type(String s) {
        try {
            return s == null ? OpenPgp.KeyType.ED25519 : OpenPgp.KeyType.parse(s);
        } catch (IllegalArgumentException e) {
            throw ArchiveException.invalid(e.getMessage());
        }
    }

    /** Writes the secret part (owner-only file), then records the key as active. */
    static ArchiveKey store(
            Ppaforge ppa,
            StoreTx tx,
            Archive a,
            PGPSecretKeyRing ring,
            PGPPublicKeyRing publicRing,
            String certifiedBy,
            Instant now) {
        ppa.secretKeys().write(tx, ring);
        ArchiveKey k = new ArchiveKey(
                OpenPgp.fingerprint(ring.getPublicKey()),
                a.id(),
                OpenPgp.algorithm(ring.getPublicKey()),
                OpenPgp.userId(ring.getPublicKey()),
                OpenPgp.armor(publicRing),
                true,
                now,
                null,
                certifiedBy);
        tx.insertKey(k);
        return k;
    }

    static List<ArchiveKey> active(StoreTx tx, Archive a) {
        return tx.keys(a.id()).stream().filter(ArchiveKey::active).toList();
    }

    /** A key of the archive by full fingerprint or its last 8+ hex digits (spaces and case ignored). */
    static ArchiveKey find(StoreTx tx, Archive a, String spec) {
        List<ArchiveKey> keys = tx.keys(a.id());
        List<ArchiveKey> hits = matching(keys, ArchiveKey::fingerprint, fingerprintSuffix(spec));
        if (hits.isEmpty()) {
            throw ArchiveException.notFound("archive '" + a.name() + "' has no key " + spec + " (its keys: "
                    + String.join(
                            ", ", keys.stream().map(ArchiveKey::fingerprint).toList()) + ")");
        }
        if (hits.size() > 1) {
            throw ArchiveException.invalid(
                    "'" + spec + "' matches several keys of " + a.name() + ": give the full fingerprint");
        }
        return hits.get(0);
    }

    /** A full fingerprint or its last 8 or more hex digits as given (spaces, case and a leading 0x ignored), checked. */
    static String fingerprintSuffix(String spec) {
        String want = spec == null ? "" : spec.replace(" ", "").toUpperCase(Locale.ROOT);
        if (want.startsWith("0X")) {
            want = want.substring(2);
        }
        if (want.length() < 8) {
            throw ArchiveException.invalid(
                    "give at least the last 8 hex digits of the key's fingerprint, not '" + spec + "'");
        }
        return want;
    }

    /** The items whose fingerprint ends in {@code suffix} (from {@link #fingerprintSuffix}). */
    static <T> List<T> matching(List<T> items, Function<T, String> fingerprint, String suffix) {
        return items.stream().filter(i -> fingerprint.apply(i).endsWith(suffix)).toList();
    }
}
