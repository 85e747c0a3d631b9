package org.ppaforge.archive.verb;

import java.nio.file.Path;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.common.testing.TestPostgres;

/** Every test of {@link TokenStorageTest} with the tables on a real PostgreSQL server (a fresh database per test). */
class TokenStorageOnPostgresTest extends TokenStorageTest {
    private final String database = TestPostgres.freshDatabase();

    @Override
    ArchiveSettings settings(Path data) {
        return super.settings(data).withDatabase(database);
    }

    @Override
    java.sql.Connection tables() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(
                TestPostgres.server().jdbc(database.substring(database.lastIndexOf('/') + 1)), "ppaforge", "");
    }
}
