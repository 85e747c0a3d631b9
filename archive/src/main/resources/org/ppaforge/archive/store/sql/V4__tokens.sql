-- API tokens: random, shown once, stored as their SHA-256 only. role 'admin' may do anything;
-- 'uploader' may write to one archive (archive_id) or to all (NULL).
CREATE TABLE api_token (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'uploader')),
    archive_id INTEGER REFERENCES archive(id),
    sha256     TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
