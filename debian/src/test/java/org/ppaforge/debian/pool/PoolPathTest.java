package org.ppaforge.debian.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.ppaforge.debian.FormatException;

class PoolPathTest {
    @Test
    void followsTheDebianPoolLayout() {
        assertThat(PoolPath.of("main", "hello", "hello_2.10-3_amd64.deb"))
                .isEqualTo("pool/main/h/hello/hello_2.10-3_amd64.deb");
        assertThat(PoolPath.of("main", "libfoo", "libfoo1_1.0_amd64.deb"))
                .isEqualTo("pool/main/libf/libfoo/libfoo1_1.0_amd64.deb");
        assertThat(PoolPath.directory("universe", "lib3mf")).isEqualTo("pool/universe/lib3/lib3mf");
        assertThat(PoolPath.directory("main", "lib")).isEqualTo("pool/main/l/lib");
    }

    @Test
    void refusesAnythingButPlainFileNames() {
        for (String bad :
                new String[] {"../x.deb", "a/b.deb", "..", ".hidden", "x..deb", "a b.deb", "a\u0000.deb", "", "-rf"}) {
            assertThatThrownBy(() -> PoolPath.of("main", "hello", bad))
                    .as(bad)
                    .isInstanceOf(FormatException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> PoolPath.of("main", "Hello", "x.deb"))
                .hasMessageContaining("invalid source package name 'Hello'");
        assertThatThrownBy(() -> PoolPath.of("../main", "hello", "x.deb"))
                .hasMessageContaining("component name '../main'");
    }
}
