-- Signing keys' secret parts, armoured, for installations on a shared database (every server signs). The embedded
-- default keeps them as owner-only files under keys/ and leaves this table empty.
CREATE TABLE archive_secret_key (
    fingerprint TEXT PRIMARY KEY,
    armored     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
