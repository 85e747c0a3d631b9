package org.ppaforge.qa.rebuild;

import java.nio.file.Path;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.common.testing.TestPostgres;

/** Every test of {@link RebuildScheduleTest} with the tables on a real PostgreSQL server (a fresh database per test). */
class RebuildScheduleOnPostgresTest extends RebuildScheduleTest {
    private final String database = TestPostgres.freshDatabase();

    @Override
    ArchiveSettings settings(Path data) {
        return super.settings(data).withDatabase(database);
    }
}
