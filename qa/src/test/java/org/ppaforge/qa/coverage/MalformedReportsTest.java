package org.ppaforge.qa.coverage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Bad coverage files end in the readers' own exception, naming the file (and line) and why, never another exception. */
class MalformedReportsTest {
    private static CoverageReport read(String text) throws CoverageFormatException {
        return CoverageReaders.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "cov.file");
    }

    @Test
    void eachKindOfBadFileIsRefusedWithItsReason() {
        assertThatThrownBy(() -> read(""))
                .isInstanceOf(CoverageFormatException.class)
                .hasMessage("cov.file: empty");
        assertThatThrownBy(() -> read("hello world\n"))
                .hasMessageStartingWith("cov.file: not a coverage report ppaforge reads");
        assertThatThrownBy(() -> read("<?xml version=\"1.0\"?><html><body/></html>"))
                .hasMessageContaining("whose root is <html>");
        assertThatThrownBy(() -> read("<coverage><packages><package><classes><class filename=\"a.py\"><lines>"
                        + "<line number=\"x\" hits=\"1\"/>"))
                .hasMessageContaining("number is not a number: 'x'");
        assertThatThrownBy(() -> read("<coverage><packages><package><classes><class filename=\"a.py\"><lines>"))
                .hasMessageContaining("malformed XML");
        assertThatThrownBy(
                        () -> read("<report name=\"x\"><line nr=\"1\" mi=\"0\" ci=\"1\" mb=\"0\" cb=\"0\"/></report>"))
                .hasMessageContaining("a line outside a sourcefile");
        assertThatThrownBy(() -> read("SF:a.c\nDA:0,1\nend_of_record\n"))
                .hasMessageContaining("line number 0 in a.c is out of range");
        assertThatThrownBy(() -> read("TN:\nDA:3,1\n"))
                .hasMessage("cov.file:2: DA needs SF: before it and 'line,hits'");
        assertThatThrownBy(() -> read("SF:a.c\nXX:1\n")).hasMessage("cov.file:2: unknown lcov record 'XX'");
        assertThatThrownBy(() -> read("SF:a.c\nBRDA:1,0,0\n")).hasMessageContaining("BRDA needs");
        assertThatThrownBy(() -> read("SF:a.c\nDA:99999999999,1\n")).hasMessageContaining("out of range");
    }

    @Test
    void entitiesAndExternalDtdsAreNeverExpanded() throws Exception {
        String laughs =
                "<?xml version=\"1.0\"?><!DOCTYPE coverage [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                        + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><coverage><packages><package><classes>"
                        + "<class filename=\"&c;\"><lines><line number=\"1\" hits=\"1\"/></lines></class></classes></package></packages></coverage>";
        // DTDs are not processed: an entity it declares is never expanded, so the reference is refused, naming it.
        assertThatThrownBy(() -> read(laughs))
                .isInstanceOf(CoverageFormatException.class)
                .hasMessageStartingWith("cov.file")
                .hasMessageContaining("\"c\"");
        String external =
                "<?xml version=\"1.0\"?><!DOCTYPE coverage [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><coverage><packages>"
                        + "<package><classes><class filename=\"&x;\"><lines><line number=\"1\" hits=\"1\"/></lines></class></classes></package>"
                        + "</packages></coverage>";
        // Nor is an external one read: refused the same way, and no byte of the file it names appears.
        assertThatThrownBy(() -> read(external))
                .isInstanceOf(CoverageFormatException.class)
                .hasMessageStartingWith("cov.file")
                .hasMessageContaining("\"x\"")
                .hasMessageNotContaining("root:");
    }

    @Property(tries = 500)
    void anyBytesEndInTheReadersOwnException(@ForAll @Size(max = 400) byte[] junk) {
        for (String prefix : new String[] {"", "SF:a\n", "<coverage>", "<report>"}) {
            byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[p.length + junk.length];
            System.arraycopy(p, 0, all, 0, p.length);
            System.arraycopy(junk, 0, all, p.length, junk.length);
            try {
                CoverageReaders.read(new ByteArrayInputStream(all), "junk");
            } catch (CoverageFormatException e) {
                assertThat(e.getMessage()).startsWith("junk");
            }
        }
    }

    @Test
    void lineSetsRoundTripAsRanges() {
        LineSet s = LineSet.of(9, 1, 2, 3, 5, 10, 11, 12, 3);
        assertThat(s.ranges()).isEqualTo("1-3,5,9-12");
        assertThat(LineSet.parse(s.ranges())).isEqualTo(s);
        assertThat(LineSet.parse("")).isEqualTo(LineSet.EMPTY);
        assertThatThrownBy(() -> LineSet.parse("5-2")).isInstanceOf(IllegalArgumentException.class);
    }
}
