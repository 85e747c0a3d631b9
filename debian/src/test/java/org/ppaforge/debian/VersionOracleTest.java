package org.ppaforge.debian;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Every verdict in the fixtures was given by dpkg itself (tools/gen-version-oracle.py);
 * our order, equality, hash and validity must agree with all of them.
 */
class VersionOracleTest {

    private static List<String[]> rows(String resource) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (var in = Objects.requireNonNull(VersionOracleTest.class.getResourceAsStream(resource), resource);
                var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("#")) {
                    rows.add(line.split("\t", -1));
                }
            }
        }
        return rows;
    }

    @Test
    void ordersEveryPairExactlyAsDpkgDoes() throws IOException {
        List<String[]> pairs = rows("/oracle/version-pairs.tsv");
        assertThat(pairs).hasSizeGreaterThanOrEqualTo(10_000);
        List<String> disagreements = new ArrayList<>();
        for (String[] p : pairs) {
            Version a = Version.parse(p[0]);
            Version b = Version.parse(p[2]);
            int c = Integer.signum(a.compareTo(b));
            String ours = c < 0 ? "<" : c == 0 ? "=" : ">";
            if (!ours.equals(p[1])) {
                disagreements.add(p[0] + " dpkg:" + p[1] + " ours:" + ours + " " + p[2]);
            }
            if (Integer.signum(b.compareTo(a)) != -c) {
                disagreements.add(p[0] + " / " + p[2] + ": compareTo is not antisymmetric");
            }
            if (p[1].equals("=") && (!a.equals(b) || a.hashCode() != b.hashCode())) {
                disagreements.add(p[0] + " = " + p[2] + " but equals/hashCode disagree");
            }
            if (!p[1].equals("=") && a.equals(b)) {
                disagreements.add(p[0] + " " + p[1] + " " + p[2] + " but equals() says equal");
            }
        }
        assertThat(disagreements).as("disagreements with dpkg").isEmpty();
    }

    @Test
    void acceptsExactlyWhatDpkgValidates() throws IOException {
        List<String[]> cases = rows("/oracle/version-validity.tsv");
        assertThat(cases).extracting(c -> c[0]).contains("valid", "invalid");
        List<String> disagreements = new ArrayList<>();
        for (String[] c : cases) {
            boolean dpkgValid = c[0].equals("valid");
            if (Version.isValid(c[1]) != dpkgValid) {
                disagreements.add("'" + c[1] + "' dpkg:" + c[0]);
            }
        }
        assertThat(disagreements).as("validity disagreements with dpkg").isEmpty();
    }
}
