package org.ppaforge.debian.relation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.testing.Tools;

class RelationsTest {
    @Test
    void parsesEveryPartAndWritesItBack() {
        Relations r = Relations.parse(
                "a (>= 1.0) | b:any [amd64 !i386] <!nocheck>, c [!hurd-i386] <!nocheck cross> <stage1>,d");
        assertThat(r.groups()).hasSize(3);
        Relation a = r.groups().get(0).get(0);
        assertThat(a.name()).isEqualTo("a");
        assertThat(a.operator()).isEqualTo(Relation.Operator.GREATER_EQUAL);
        assertThat(a.version()).isEqualTo("1.0");
        Relation b = r.groups().get(0).get(1);
        assertThat(b.archQualifier()).isEqualTo("any");
        assertThat(b.architectures()).containsExactly("amd64", "!i386");
        assertThat(b.profiles()).containsExactly(List.of("!nocheck"));
        assertThat(r.groups().get(1).get(0).profiles())
                .containsExactly(List.of("!nocheck", "cross"), List.of("stage1"));
        assertThat(r)
                .hasToString(
                        "a (>= 1.0) | b:any [amd64 !i386] <!nocheck>, c [!hurd-i386] <!nocheck cross> <stage1>, d");
        assertThat(Relations.parse(r.toString())).isEqualTo(r);
        assertThat(r.names()).containsExactly("a", "b", "c", "d");
        assertThat(Relations.parse("  x(<<2)  ,  ").toString()).isEqualTo("x (<< 2)");
        assertThat(Relations.parse("").groups()).isEmpty();
    }

    @Test
    void versionOperatorsFollowDpkgOrder() {
        Relation r = Relations.parse("foo (>> 1.0~rc1)").groups().get(0).get(0);
        assertThat(r.satisfiedBy(Version.parse("1.0"))).isTrue();
        assertThat(r.satisfiedBy(Version.parse("1.0~rc1"))).isFalse();
        assertThat(Relations.parse("foo (= 1.01)").groups().get(0).get(0).satisfiedBy(Version.parse("1.1")))
                .isTrue();
    }

    @Test
    void everyRelationFieldOfTheRealPackagesIndexRoundTrips() throws Exception {
        Path index = Tools.realPackagesIndex(Path.of("target/test-cache"));
        int checked = 0;
        try (InputStream in = Files.newInputStream(index);
                Deb822Reader reader = new Deb822Reader(in, "Packages")) {
            Stanza s;
            while ((s = reader.next()) != null) {
                for (String field : List.of(
                        "Depends",
                        "Pre-Depends",
                        "Recommends",
                        "Suggests",
                        "Breaks",
                        "Conflicts",
                        "Replaces",
                        "Provides",
                        "Enhances",
                        "Built-Using")) {
                    String value = s.get(field);
                    if (value != null) {
                        Relations r = Relations.parse(value);
                        assertThat(Relations.parse(r.toString())).as(value).isEqualTo(r);
                        assertThat(r.toString().replace(" ", ""))
                                .as(value)
                                .isEqualTo(value.replace(" ", "").replace("\n", ""));
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(50_000);
    }

    @Test
    void malformedRelationsAreNamed() {
        assertThatThrownBy(() -> Relations.parse("a (>= 1.0"))
                .isInstanceOf(FormatException.class)
                .hasMessage("invalid relation 'a (>= 1.0' in 'a (>= 1.0': missing ')' after version");
        assertThatThrownBy(() -> Relations.parse("a (=> 1)")).hasMessageContaining("unknown version operator '=>'");
        assertThatThrownBy(() -> Relations.parse("a,, b")).hasMessageContaining("empty relation between commas");
        assertThatThrownBy(() -> Relations.parse("a | , b")).hasMessageContaining("empty alternative");
        assertThatThrownBy(() -> Relations.parse("a [amd64 !i386")).hasMessageContaining("missing ']'");
        assertThatThrownBy(() -> Relations.parse("a []")).hasMessageContaining("empty architecture list");
        assertThatThrownBy(() -> Relations.parse("a <>")).hasMessageContaining("empty build profile");
        assertThatThrownBy(() -> Relations.parse("a b")).hasMessageContaining("unexpected 'b'");
    }
}
