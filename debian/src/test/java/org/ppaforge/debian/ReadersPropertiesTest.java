package org.ppaforge.debian;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.assertj.core.api.Assertions;
import org.ppaforge.debian.changes.Changes;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.SignedControl;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.deb.DebReader;
import org.ppaforge.debian.deb.UnpackLimits;
import org.ppaforge.debian.dsc.Dsc;
import org.ppaforge.debian.relation.RelationFields;
import org.ppaforge.debian.relation.Relations;
import org.ppaforge.debian.testing.RealDebs;
import org.ppaforge.debian.testing.Tools;

/**
 * Property tests of every format reader: arbitrary input, and valid input (real .debs from dpkg-deb with each
 * compression, real .dsc/.changes from dpkg-source and dpkg-genchanges, clearsigned by gpg) mutated by flipped bytes,
 * cuts, insertions and repeats. Each ends in the reader's own {@link FormatException} or a result, never another
 * exception, within a few seconds and the reader's limits.
 */
class ReadersPropertiesTest {
    private static Path work;
    private static final List<byte[]> DEBS = new ArrayList<>();
    private static final List<String> TEXTS = new ArrayList<>();
    /** Small limits, so a mutation that claims a huge member is stopped early. */
    private static final UnpackLimits LIMITS = new UnpackLimits(64L << 20, 200, 8L << 20, 100_000);

    @BeforeContainer
    static void fixtures() throws Exception {
        work = Files.createTempDirectory("ppaforge-properties");
        for (String compression : List.of("none", "gzip", "xz", "zstd")) {
            DEBS.add(Files.readAllBytes(
                    RealDebs.build(work, "fuzz-" + compression, "1:2.0~rc1+dfsg-3", "amd64", compression)));
        }
        Path src = Files.createDirectories(work.resolve("src/hello-1.0/debian/source"));
        Files.writeString(src.resolve("format"), "3.0 (native)\n");
        Path debian = src.getParent();
        Files.writeString(
                debian.resolve("control"),
                "Source: hello\nMaintainer: T <t@example.org>\n\nPackage: hello\n"
                        + "Architecture: any\nDepends: libc6 (>= 2.34) | foo:any, bar [amd64] <!nocheck>\nDescription: d\n x\n");
        Files.writeString(
                debian.resolve("changelog"),
                "hello (1.0) noble; urgency=medium\n\n  * Fuzz.\n\n"
                        + " -- T <t@example.org>  Wed, 02 Dec 2026 10:00:00 +0000\n");
        Tools.run(work.resolve("src"), "dpkg-source", "-b", "hello-1.0").orFail("dpkg-source -b");
        Tools.run(work.resolve("src/hello-1.0"), "dpkg-genchanges", "-S", "-O../hello_1.0_source.changes")
                .orFail("dpkg-genchanges");
        String dsc = Files.readString(work.resolve("src/hello_1.0.dsc"));
        String changes = Files.readString(work.resolve("src/hello_1.0_source.changes"));
        TEXTS.add(dsc);
        TEXTS.add(changes);
        Path home = work.resolve("gnupg");
        Tools.gpgPublicKey(home, "Fuzz <fuzz@example.org>", work.resolve("fuzz.asc"));
        Tools.run(
                        work,
                        null,
                        List.of(
                                "gpg",
                                "--batch",
                                "--homedir",
                                home.toString(),
                                "--clearsign",
                                "--output",
                                work.resolve("signed.changes").toString(),
                                work.resolve("src/hello_1.0_source.changes").toString()))
                .orFail("clearsign");
        TEXTS.add(Files.readString(work.resolve("signed.changes")));
        TEXTS.add(
                "Package: hello\nVersion: 2.10-3\nArchitecture: amd64\nDepends: libc6 (>= 2.34)\nDescription: d\n line\n .\n more\n\n"
                        + "Package: sl\nVersion: 5.02-1\nArchitecture: amd64\n");
    }

    @AfterContainer
    static void cleanUp() throws Exception {
        Tools.run(null, "rm", "-rf", work.toString());
    }

    /** Runs a reader: a result or a FormatException is fine; anything else (or an endless run) fails the property. */
    private static void onlyFormatExceptions(ThrowingRunnable reader) {
        long start = System.nanoTime();
        try {
            reader.run();
        } catch (FormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        } catch (Throwable t) {
            throw new AssertionError("not a FormatException: " + t, t);
        }
        assertThat((System.nanoTime() - start) / 1e9)
                .as("seconds for one input")
                .isLessThan(5);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static byte[] mutate(byte[] seed, long randomSeed) {
        Random r = new Random(randomSeed);
        byte[] b = seed.clone();
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits && b.length > 0; i++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(5)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8)); // flip a bit
                case 1 -> b = Arrays.copyOf(b, at); // cut
                case 2 -> { // insert random bytes
                    byte[] ins = new byte[1 + r.nextInt(16)];
                    r.nextBytes(ins);
                    byte[] n = new byte[b.length + ins.length];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(ins, 0, n, at, ins.length);
                    System.arraycopy(b, at, n, at + ins.length, b.length - at);
                    b = n;
                }
                case 3 -> { // a byte set to a value that matters to parsers: NUL, newline, '/', '.', digit 9, 0xff
                    byte[] special = {0, '\n', '/', '.', '9', (byte) 0xff, ':', ' '};
                    b[at] = special[r.nextInt(special.length)];
                }
                default -> { // repeat a range
                    int len = Math.min(b.length - at, 1 + r.nextInt(512));
                    byte[] n = new byte[b.length + len];
                    System.arraycopy(b, 0, n, 0, at + len);
                    System.arraycopy(b, at, n, at + len, b.length - at);
                    b = n;
                }
            }
        }
        return b;
    }

    @Provide
    Arbitrary<byte[]> mutatedDebs() {
        return Combinators.combine(Arbitraries.of(DEBS), Arbitraries.longs()).as(ReadersPropertiesTest::mutate);
    }

    @Provide
    Arbitrary<String> mutatedTexts() {
        return Combinators.combine(Arbitraries.of(TEXTS), Arbitraries.longs())
                .as((t, seed) -> new String(mutate(t.getBytes(StandardCharsets.UTF_8), seed), StandardCharsets.UTF_8));
    }

    @Property(tries = 1500)
    void debReaderOnMutatedRealDebs(@ForAll("mutatedDebs") byte[] bytes) {
        onlyFormatExceptions(() -> DebReader.read(new ByteArrayInputStream(bytes), "fuzz.deb", LIMITS));
    }

    @Property(tries = 500)
    void debReaderOnArbitraryBytes(@ForAll byte[] bytes) {
        onlyFormatExceptions(() -> DebReader.read(new ByteArrayInputStream(bytes), "fuzz.deb", LIMITS));
        byte[] withMagic =
                ("!<arch>\n" + new String(bytes, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        onlyFormatExceptions(() -> DebReader.read(new ByteArrayInputStream(withMagic), "fuzz.deb", LIMITS));
    }

    @Property(tries = 1500)
    void textReadersOnMutatedRealFiles(@ForAll("mutatedTexts") String text) {
        onlyFormatExceptions(() -> Deb822Reader.parse(text, "fuzz"));
        onlyFormatExceptions(() -> SignedControl.parse(text, "fuzz.changes"));
        onlyFormatExceptions(() -> Dsc.parse(text, "fuzz.dsc"));
        onlyFormatExceptions(() -> Changes.parse(text, "fuzz.changes"));
    }

    @Property(tries = 1000)
    void textReadersOnArbitraryStrings(@ForAll String text) {
        onlyFormatExceptions(() -> Deb822Reader.parse(text, "fuzz"));
        onlyFormatExceptions(() -> SignedControl.parse(text, "fuzz.changes"));
        onlyFormatExceptions(() -> Dsc.parse(text, "fuzz.dsc"));
        onlyFormatExceptions(() -> Changes.parse(text, "fuzz.changes"));
        onlyFormatExceptions(() -> Version.parse(text));
        onlyFormatExceptions(() -> Relations.parse(text));
    }

    @Property(tries = 1000)
    void versionsAndRelationsOnMutatedRealValues(@ForAll("mutatedValues") String value) {
        onlyFormatExceptions(() -> Version.parse(value));
        onlyFormatExceptions(() -> Relations.parse(value));
        // The relation fields check that decides what is published: a FormatException or nothing, and what it accepts
        // is written back by the parser in a form that parses to the same relations.
        Stanza stanza;
        try {
            stanza = Stanza.builder()
                    .set("Package", "p")
                    .set("Depends", value.replace("\n", " "))
                    .build();
        } catch (RuntimeException e) {
            return; // not a field value at all
        }
        boolean accepted;
        try {
            RelationFields.checkBinary(stanza, "fuzz.deb");
            accepted = true;
        } catch (FormatException e) {
            accepted = false;
        }
        if (accepted && !value.isBlank()) {
            Relations r = Relations.parse(value.replace("\n", " "));
            Assertions.assertThat(Relations.parse(r.toString())).isEqualTo(r);
        }
    }

    @Provide
    Arbitrary<String> mutatedValues() {
        List<String> seeds = List.of(
                "1:2.0~rc1+dfsg-3",
                "2.10-3",
                "0.0~git20200101.abc1234-1+b2",
                "libc6 (>= 2.34), foo | bar:any [amd64 !i386] <!nocheck> <cross>, baz (<< 1:2~)");
        return Combinators.combine(Arbitraries.of(seeds), Arbitraries.longs())
                .as((t, seed) -> new String(mutate(t.getBytes(StandardCharsets.UTF_8), seed), StandardCharsets.UTF_8));
    }
}
