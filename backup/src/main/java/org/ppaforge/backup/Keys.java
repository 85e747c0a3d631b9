package org.ppaforge.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;
import org.ppaforge.common.ForgeException;

/**
 * A target's keys, restic's way: a random master key (one half seals objects, the other names them), kept in the
 * target's {@code config} sealed with a key derived from the passphrase by scrypt. The config names no machine, path or
 * URL, so a copied target opens with the same passphrase wherever it is.
 */
final class Keys {
    /** scrypt's cost: about a quarter of a second and 32 MiB here, once per command. */
    static final int N = 1 << 15;

    static final int R = 8;
    static final int P = 1;
    static final String CONFIG = "config";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The target's {@code config}: the format, the KDF and its parameters, the salt and the sealed master key. */
    record Config(int version, String kdf, int n, int r, int p, String salt, String masterKey) {}

    private final byte[] sealKey;
    private final byte[] nameKey;
    /** HMAC-SHA-256 with the name key (the JDK's: a name is made per file, forty thousand in a backup). */
    private final ThreadLocal<Mac> mac;

    private Keys(byte[] master) {
        sealKey = Arrays.copyOfRange(master, 0, 32);
        nameKey = Arrays.copyOfRange(master, 32, 64);
        mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(nameKey, "HmacSHA256"));
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK has no HMAC-SHA-256", e);
            }
        });
    }

    Sealing sealing() {
        return new Sealing(sealKey);
    }

    /** An object's name: the keyed hash of its content's SHA-256, so a name tells nothing of what is inside. */
    String name(byte[] sha256) {
        return HexFormat.of().formatHex(mac.get().doFinal(sha256));
    }

    /** Makes the keys of a new target and writes its config. */
    static Keys create(Target target, char[] passphrase) throws IOException {
        if (target.exists(CONFIG)) {
            throw ForgeException.refused("the target is a backup target already: use it as it is");
        }
        byte[] master = new byte[64];
        RANDOM.nextBytes(master);
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] sealed = new Sealing(derive(passphrase, salt, N, R, P)).seal(master, "config");
        Config c = new Config(
                1,
                "scrypt",
                N,
                R,
                P,
                Base64.getEncoder().encodeToString(salt),
                Base64.getEncoder().encodeToString(sealed));
        target.put(CONFIG, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(c));
        return new Keys(master);
    }

    /** Opens the keys of an existing target; a wrong passphrase is told as such. */
    static Keys open(Target target, char[] passphrase) throws IOException {
        if (!target.exists(CONFIG)) {
            throw ForgeException.notFound("no backup there yet (no " + CONFIG + "): 'ppa backup create' makes one");
        }
        Config c;
        try {
            c = JSON.readValue(target.read(CONFIG), Config.class);
        } catch (IOException e) {
            throw ForgeException.invalid("the target's " + CONFIG + " is damaged: " + e.getMessage());
        }
        if (c.version() != 1 || !"scrypt".equals(c.kdf())) {
            throw ForgeException.invalid("the target was made by another ppaforge (format " + c.version() + ")");
        }
        byte[] key = derive(passphrase, Base64.getDecoder().decode(c.salt()), c.n(), c.r(), c.p());
        try {
            return new Keys(new Sealing(key).open(Base64.getDecoder().decode(c.masterKey()), "config"));
        } catch (Sealing.Damaged e) {
            throw new ForgeException(ForgeException.Kind.FORBIDDEN, "wrong passphrase for this backup target");
        }
    }

    private static byte[] derive(char[] passphrase, byte[] salt, int n, int r, int p) {
        if (passphrase == null || passphrase.length == 0) {
            throw ForgeException.invalid(
                    "a backup needs a passphrase: PPAFORGE_BACKUP_PASSPHRASE or --passphrase-file FILE");
        }
        if (n > 1 << 20 || r > 32 || p > 16) {
            throw ForgeException.invalid("the target's key parameters are beyond what ppaforge accepts");
        }
        byte[] pw = new String(passphrase).getBytes(StandardCharsets.UTF_8);
        return SCrypt.generate(pw, salt, n, r, p, 32);
    }
}
