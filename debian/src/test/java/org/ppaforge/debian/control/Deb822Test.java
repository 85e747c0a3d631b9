package org.ppaforge.debian.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.testing.Tools;

class Deb822Test {

    private static final String CONTROL = """
            Package: hello
            version: 2.10-3
            Description: example package
             The GNU hello program produces a familiar message.
             .
             It is an example.
            Files:
             abc 12 hello_2.10.orig.tar.gz
             def 34 hello_2.10-3.debian.tar.xz

            Package: second
            Depends: libc6 (>= 2.34)
            """;

    @Test
    void parsesFieldsContinuationsAndLooksUpWithoutCaseKeepingSpellingAndOrder() {
        List<Stanza> stanzas = Deb822Reader.parse(CONTROL, "control");
        assertThat(stanzas).hasSize(2);
        Stanza hello = stanzas.get(0);
        assertThat(hello.names()).containsExactly("Package", "version", "Description", "Files");
        assertThat(hello.get("VERSION")).isEqualTo("2.10-3");
        assertThat(hello.field("Version").name()).isEqualTo("version");
        Field description = hello.field("description");
        assertThat(description.firstLine()).isEqualTo("example package");
        assertThat(description.continuationLines())
                .containsExactly("The GNU hello program produces a familiar message.", "", "It is an example.");
        assertThat(hello.field("Files").items())
                .containsExactly("abc 12 hello_2.10.orig.tar.gz", "def 34 hello_2.10-3.debian.tar.xz");
        assertThat(hello.get("Missing")).isNull();
        assertThat(stanzas.get(1).line()).isEqualTo(11);
    }

    @Test
    void writesBackTheSameBytes() {
        List<Stanza> stanzas = Deb822Reader.parse(CONTROL, "control");
        assertThat(Deb822Writer.toText(stanzas, Deb822Writer.Style.SEPARATED)).isEqualTo(CONTROL);
    }

    @Test
    void realPackagesSampleRoundTripsByteForByte() {
        String sample = Tools.resourceText("/samples/Packages-bookworm-sample");
        List<Stanza> stanzas = Deb822Reader.parse(sample, "Packages-bookworm-sample");
        assertThat(stanzas).hasSize(212);
        assertThat(stanzas).allSatisfy(s -> assertThat(s.get("Package")).isNotBlank());
        assertThat(Deb822Writer.toText(stanzas, Deb822Writer.Style.TERMINATED)).isEqualTo(sample);
    }

    @Test
    void wholeRealPackagesIndexStreamsAndRoundTrips() throws Exception {
        Path index = Tools.realPackagesIndex(Path.of("target/test-cache"));
        MessageDigest original = MessageDigest.getInstance("SHA-256");
        MessageDigest rewritten = MessageDigest.getInstance("SHA-256");
        int count = 0;
        try (InputStream in = Files.newInputStream(index);
                Deb822Reader reader = new Deb822Reader(new DigestInputStream(in, original), index.toString());
                Deb822Writer writer = new Deb822Writer(
                        new DigestOutputStream(OutputStreamSink.INSTANCE, rewritten), Deb822Writer.Style.TERMINATED)) {
            Stanza s;
            while ((s = reader.next()) != null) {
                writer.write(s);
                count++;
            }
            writer.flush();
            assertThat(HexFormat.of().formatHex(rewritten.digest()))
                    .isEqualTo(HexFormat.of().formatHex(original.digest()));
        }
        long expected = Files.readAllLines(index, StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("Package: "))
                .count();
        assertThat(count).isEqualTo(expected).isGreaterThan(10_000);
    }

    /** Discards bytes (the digest is what matters). */
    private static final class OutputStreamSink extends OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }

    @Test
    void acceptsCrlfAndWhitespaceOnlySeparators() {
        List<Stanza> stanzas = Deb822Reader.parse("A: 1\r\nB: two\r\n words\r\n \t\r\nC: 3\r\n", "crlf");
        assertThat(stanzas).hasSize(2);
        assertThat(stanzas.get(0).get("B")).isEqualTo("two\n words");
        assertThat(stanzas.get(1).get("c")).isEqualTo("3");
    }

    @Test
    void commentsOnlyWhereAllowed() {
        String text = "# a comment\nSource: foo\n# another\nSection: misc\n";
        Stanza s = new Deb822Reader(
                        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "debian/control", true)
                .next();
        assertThat(s.names()).containsExactly("Source", "Section");
        assertThatThrownBy(() -> Deb822Reader.parse(text, "Packages"))
                .isInstanceOf(FormatException.class)
                .hasMessage("Packages:1: comment lines are not allowed in this file");
    }

    @Test
    void malformedInputNamesSourceAndLine() {
        assertThatThrownBy(() -> Deb822Reader.parse(" leading continuation\n", "Sources"))
                .hasMessage("Sources:1: continuation line outside a field");
        assertThatThrownBy(() -> Deb822Reader.parse("A: 1\nno colon here\n", "x.dsc"))
                .hasMessage("x.dsc:2: expected 'Field: value', got 'no colon here'")
                .isInstanceOfSatisfying(
                        FormatException.class, e -> assertThat(e.line()).isEqualTo(2));
        assertThatThrownBy(() -> Deb822Reader.parse("A: 1\nB: 2\na: 3\n", "dup"))
                .hasMessage("dup:3: duplicate field 'a' in one stanza");
        assertThatThrownBy(() -> Deb822Reader.parse(": value\n", "empty")).hasMessage("empty:1: field name is empty");
        assertThatThrownBy(() -> Deb822Reader.parseSingle("A: 1\n\nB: 2\n", "one.dsc"))
                .hasMessage("one.dsc:3: expected one stanza, found another here");
    }

    @Test
    void longLinesBeyondTheBufferAreRead() {
        String big = "x".repeat(300_000);
        Stanza s = Deb822Reader.parseSingle("Big: " + big + "\nAfter: yes\n", "big");
        assertThat(s.get("Big")).hasSize(300_000);
        assertThat(s.get("After")).isEqualTo("yes");
    }

    @Test
    void builderKeepsPositionsAndFormatsMultiLineValues() {
        Stanza s = Deb822Reader.parseSingle("Source: foo\nVersion: 1\nFormat: 3.0 (quilt)\n", "foo.dsc");
        Stanza changed = s.toBuilder()
                .rename("Source", "Package")
                .set("version", "2")
                .set("Description", "short\nlong line\n\nafter")
                .set(Field.ofLines("Files", List.of("a 1 f", "b 2 g")))
                .build();
        assertThat(changed.toString()).isEqualTo("""
                Package: foo
                version: 2
                Format: 3.0 (quilt)
                Description: short
                 long line
                 .
                 after
                Files:
                 a 1 f
                 b 2 g
                """);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Deb822Writer w = new Deb822Writer(out, Deb822Writer.Style.SEPARATED)) {
            w.write(changed).write(s);
        }
        assertThat(Deb822Reader.parse(out.toString(StandardCharsets.UTF_8), "out"))
                .containsExactly(changed, s);
    }
}
