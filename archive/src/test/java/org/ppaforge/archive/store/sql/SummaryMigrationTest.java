package org.ppaforge.archive.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short descriptions that migration V13 derives in SQL for binaries stored before it are the ones new binaries get
 * in Java: the first line of Description, wherever the field is in the stanza, empty without one.
 */
class SummaryMigrationTest {
    @Test
    void theMigrationsSqlAndTheJavaRuleAgree() throws Exception {
        List<String> controls = List.of(
                "Package: hello\nVersion: 2.10-3\nDescription: example package based on GNU hello\n The GNU hello program.\n",
                "Description: first field\n long\nPackage: x\n",
                "Package: y\nDescription:   padded summary   \n",
                "Package: z\nDescription: last line, no newline",
                "Package: none\nVersion: 1\n",
                "Package: tricky\nX-Description: not this\nDescription: this one\n");
        String update;
        try (var in = SqliteMetadataStore.class.getResourceAsStream("V13__binary_summary.sql")) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            update = sql.substring(sql.indexOf("UPDATE"));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE binary_package (id INTEGER PRIMARY KEY, control TEXT NOT NULL, "
                    + "summary TEXT NOT NULL DEFAULT '')");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO binary_package (control) VALUES (?)")) {
                for (String control : controls) {
                    p.setString(1, control);
                    p.executeUpdate();
                }
            }
            st.execute(update);
            try (ResultSet rs = st.executeQuery("SELECT control, summary FROM binary_package ORDER BY id")) {
                int n = 0;
                while (rs.next()) {
                    assertThat(rs.getString(2)).as(rs.getString(1)).isEqualTo(PackageRows.summary(rs.getString(1)));
                    n++;
                }
                assertThat(n).isEqualTo(controls.size());
            }
        }
        assertThat(PackageRows.summary(controls.get(0))).isEqualTo("example package based on GNU hello");
        assertThat(PackageRows.summary(controls.get(5))).isEqualTo("this one");
        assertThat(PackageRows.summary(controls.get(4))).isEmpty();
    }
}
