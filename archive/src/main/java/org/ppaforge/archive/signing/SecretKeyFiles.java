package org.ppaforge.archive.signing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.ppaforge.archive.store.StoreTx;

/**
 * Archive signing keys' secret parts: one ASCII-armoured file per key,
 * {@code keys/<FINGERPRINT>.asc}, in a directory only the owner can enter, each file
 * created readable only by the owner (mode 0600 from the start, never widened).
 */
public final class SecretKeyFiles implements SecretKeys {
    private final Path dir;

    public SecretKeyFiles(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path file(String fingerprint) {
        return dir.resolve(fingerprint + ".asc");
    }

    @Override
    public void write(StoreTx tx, PGPSecretKeyRing ring) {
        write(ring);
    }

    public void write(PGPSecretKeyRing ring) {
        String fpr = OpenPgp.fingerprint(ring.getPublicKey());
        try {
            writeOwnerOnly(file(fpr), ring);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store secret key " + fpr + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code ring}, ASCII-armoured, to {@code file}: its directory made owner-only when it is new, the file
     * readable only by the owner from its creation (never widened), moved into place whole.
     */
    public static void writeOwnerOnly(Path file, PGPSecretKeyRing ring) throws IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // made meanwhile
            }
        }
        Path tmp = file.resolveSibling(
                file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        Files.createFile(
                tmp,
                PosixFilePermissions.asFileAttribute(
                        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        Files.writeString(tmp, OpenPgp.armor(ring), StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public PGPSecretKeyRing read(String fingerprint) {
        Path f = file(fingerprint);
        try {
            return OpenPgp.readSecretRing(Files.readAllBytes(f), f.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("the secret key " + fingerprint + " is missing: expected " + f, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
