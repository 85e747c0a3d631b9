-- What an archive's builds resolve build-dependencies from, after the archive itself: other ppaforge archives
-- (kind 'archive', value = its name) and external apt repositories (kind 'external', value = 'URL SUITE COMPONENTS',
-- key = its ASCII-armoured public key), in order.
CREATE TABLE archive_dependency (
    archive TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('archive', 'external')),
    value TEXT NOT NULL,
    key TEXT,
    PRIMARY KEY (archive, position)
);
