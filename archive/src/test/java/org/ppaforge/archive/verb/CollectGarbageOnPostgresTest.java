package org.ppaforge.archive.verb;

import java.nio.file.Path;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.common.testing.TestPostgres;

/** Every test of {@link CollectGarbageTest} with the tables on a real PostgreSQL server (a fresh database per test). */
class CollectGarbageOnPostgresTest extends CollectGarbageTest {
    private final String database = TestPostgres.freshDatabase();

    @Override
    ArchiveSettings settings(Path data) {
        return super.settings(data).withDatabase(database);
    }
}
