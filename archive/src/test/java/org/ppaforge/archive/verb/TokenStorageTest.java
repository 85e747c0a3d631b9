package org.ppaforge.archive.verb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;

/**
 * Only a token's SHA-256 is kept, as the README promises: after tokens of every role are made and used, no table of the
 * store and no file of the data directory holds a secret; the store holds each secret's SHA-256.
 */
class TokenStorageTest {

    /** How the archive is opened: the embedded default here; {@link TokenStorageOnSharedStoresTest} runs every test on PostgreSQL and S3. */
    ArchiveSettings settings(Path data) {
        return ArchiveSettings.of(data);
    }

    /** A plain connection to where the tables are. */
    Connection tables() throws java.sql.SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + data.resolve("ppaforge.db"));
    }

    @TempDir
    Path data;

    @Test
    void noSecretIsStoredOnlyItsSha256() throws Exception {
        List<String> secrets = new ArrayList<>();
        try (Ppaforge ppa = Ppaforge.open(settings(data))) {
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
            for (String role : List.of("admin", "uploader", "reader", "worker")) {
                String secret = ppa.createToken()
                        .name("t-" + role)
                        .role(role)
                        .archive(role.equals("admin") || role.equals("worker") ? null : "trunk")
                        .call()
                        .secret();
                secrets.add(secret);
                ppa.authenticate().token(secret).name(); // used once, as a request would
            }
        }
        StringBuilder all = new StringBuilder();
        try (Connection c = tables();
                Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("api_token");
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM \"" + t + "\"")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            all.append(rs.getString(i)).append('\n');
                        }
                    }
                }
            }
        }
        String dump = all.toString();
        for (String secret : secrets) {
            assertThat(dump).doesNotContain(secret).contains(CreateToken.sha256(secret));
        }
        // Nor any other file of the data directory (the write-ahead log, keys, caches).
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(text).as(f.toString()).doesNotContain(secret);
                }
            }
        }
    }
}
