package org.ppaforge.qa.coverage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Line records kept as packed ints: a hit anywhere covers the line, and a report's records are bounded. */
@Timeout(30)
class LinesTest {
    @Test
    void aHitAnywhereCoversTheLineAndRecordsAreBounded() throws Exception {
        Lines l = new Lines("t.info", 1000);
        l.line("a.c", 5, false);
        l.line("a.c", 3, true);
        l.line("a.c", 5, true);
        l.line("a.c", 7, false);
        l.line("a.c", 7, false);
        l.line("b.c", LineSet.MAX_LINE, true);
        CoverageReport r = l.report("lcov");
        FileCoverage a = r.files().get(0);
        assertThat(a.covered().toArray()).containsExactly(3, 5);
        assertThat(a.missed().toArray()).containsExactly(7);
        assertThat(r.files().get(1).covered().toArray()).containsExactly(LineSet.MAX_LINE);
        Lines small = new Lines("big.info", 10);
        for (int i = 1; i <= 10; i++) {
            small.line("x.c", i, true);
        }
        assertThatThrownBy(() -> small.line("x.c", 11, true))
                .isInstanceOf(CoverageFormatException.class)
                .hasMessageContaining("big.info: more than 10 line records");
    }
}
