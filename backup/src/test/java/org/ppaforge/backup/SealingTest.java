package org.ppaforge.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sealed objects: written with ChaCha20-Poly1305, the first version's AES-GCM ones still open, damage is caught. */
@Timeout(60)
class SealingTest {
    private static final byte[] KEY = new byte[32];

    static {
        new Random(7).nextBytes(KEY);
    }

    @Test
    void aLargeObjectGoesThroughInChunksAndAnyDamageIsCaught() throws Exception {
        byte[] plain = new byte[Sealing.CHUNK * 2 + 123];
        new Random(1).nextBytes(plain);
        byte[] sealed = new Sealing(KEY).seal(plain, "data");
        assertThat(new String(sealed, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PFB2");
        assertThat(sealed).hasSize(12 + plain.length + 3 * 16);
        assertThat(new Sealing(KEY).open(sealed, "data")).isEqualTo(plain);
        // Another kind, a flipped bit, a cut-off last chunk, a dropped chunk: none opens.
        assertThatThrownBy(() -> new Sealing(KEY).open(sealed, "snapshot")).isInstanceOf(Sealing.Damaged.class);
        byte[] flipped = sealed.clone();
        flipped[Sealing.CHUNK + 40] ^= 1;
        assertThatThrownBy(() -> new Sealing(KEY).open(flipped, "data")).isInstanceOf(Sealing.Damaged.class);
        byte[] cut = Arrays.copyOf(sealed, 12 + 2 * (Sealing.CHUNK + 16));
        assertThatThrownBy(() -> new Sealing(KEY).open(cut, "data")).isInstanceOf(Sealing.Damaged.class);
        byte[] wrongKey = KEY.clone();
        wrongKey[0] ^= 1;
        assertThatThrownBy(() -> new Sealing(wrongKey).open(sealed, "data")).isInstanceOf(Sealing.Damaged.class);
    }

    @Test
    void anObjectOfTheFirstFormatStillOpens() throws Exception {
        // PFB1: AES-256-GCM, the same layout (magic, 8-byte prefix, chunks with nonce prefix + index, kind/index/last).
        byte[] prefix = {1, 2, 3, 4, 5, 6, 7, 8};
        byte[] nonce = Arrays.copyOf(prefix, 12);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, nonce));
        gcm.updateAAD("data/0/last".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream object = new ByteArrayOutputStream();
        object.write("PFB1".getBytes(StandardCharsets.US_ASCII));
        object.write(prefix);
        object.write(gcm.doFinal("made by the first version".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(new Sealing(KEY).open(object.toByteArray(), "data"), StandardCharsets.UTF_8))
                .isEqualTo("made by the first version");
    }
}
