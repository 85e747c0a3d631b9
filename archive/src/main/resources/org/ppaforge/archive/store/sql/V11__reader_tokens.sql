-- A fourth token role, 'reader': reads private archives (apt trees, keys), the one it is limited to or all, nothing else.
-- SQLite cannot change a CHECK constraint: the table is rebuilt with the same rows.
CREATE TABLE api_token_new (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'uploader', 'worker', 'reader')),
    archive_id INTEGER REFERENCES archive(id),
    sha256     TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
INSERT INTO api_token_new (id, name, role, archive_id, sha256, created_at, revoked_at)
    SELECT id, name, role, archive_id, sha256, created_at, revoked_at FROM api_token;
DROP TABLE api_token;
ALTER TABLE api_token_new RENAME TO api_token;
