package org.ppaforge.farm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class RedactorTest {
    private static final String SECRET = "4f1c9a0b7e2d3c8a9f1e5b6d7c0a2b3e4f5a6b7c8d9e0f1a";

    @Test
    void aSecretCutInTwoByAChunkBoundaryIsStillBlanked() {
        List<String> out = new ArrayList<>();
        Redactor r = new Redactor(List.of(SECRET), out::add);
        r.accept("curl http://127.0.0.1/callback/" + SECRET.substring(0, 20));
        r.accept(SECRET.substring(20) + "?result=pass\n");
        r.flush();
        assertThat(String.join("", out)).isEqualTo("curl http://127.0.0.1/callback/***?result=pass\n");
    }

    @Test
    void textThatOnlyLooksLikeTheStartOfASecretIsWrittenAtTheEnd() {
        List<String> out = new ArrayList<>();
        Redactor r = new Redactor(List.of(SECRET), out::add);
        r.accept("ends with 4f1c");
        assertThat(String.join("", out)).isEqualTo("ends with ");
        r.flush();
        assertThat(String.join("", out)).isEqualTo("ends with 4f1c");
    }

    /** Whatever the chunking, the output is the input with every secret blanked, and nothing else changed. */
    @Property(tries = 300)
    void anyChunkingGivesTheSameText(
            @ForAll @StringLength(max = 200) String noise,
            @ForAll @IntRange(min = 1, max = 70) int size,
            @ForAll @IntRange(min = 0, max = 3) int copies) {
        String text = noise + (SECRET + noise).repeat(copies) + SECRET.substring(0, 10);
        List<String> out = new ArrayList<>();
        Redactor r = new Redactor(List.of(SECRET, "tok_" + SECRET.substring(5, 30)), out::add);
        for (int i = 0; i < text.length(); i += size) {
            r.accept(text.substring(i, Math.min(text.length(), i + size)));
        }
        r.flush();
        String expected =
                text.replace(SECRET, Redactor.BLANK).replace("tok_" + SECRET.substring(5, 30), Redactor.BLANK);
        assertThat(String.join("", out)).isEqualTo(expected).doesNotContain(SECRET);
    }
}
