-- How an archive is published: stable Release fields and retention of superseded files.
-- origin NULL: 'ppaforge'; label NULL: the archive name; valid_for_seconds NULL: no Valid-Until.
ALTER TABLE archive ADD COLUMN origin TEXT;
ALTER TABLE archive ADD COLUMN label TEXT;
ALTER TABLE archive ADD COLUMN not_automatic INTEGER NOT NULL DEFAULT 0;
ALTER TABLE archive ADD COLUMN but_automatic_upgrades INTEGER NOT NULL DEFAULT 0;
ALTER TABLE archive ADD COLUMN valid_for_seconds INTEGER;
ALTER TABLE archive ADD COLUMN keep_superseded_seconds INTEGER NOT NULL DEFAULT 86400;

-- OpenPGP keys that sign an archive's Release files. The secret parts live in files under
-- the data directory (keys/<fingerprint>.asc, readable only by the owner), not here.
-- public_key: ASCII-armoured, with any certifications; certified_by: the fingerprint of the
-- key that certified it at a rotation.
CREATE TABLE archive_key (
    fingerprint  TEXT NOT NULL,
    archive_id   INTEGER NOT NULL REFERENCES archive(id),
    algorithm    TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    public_key   TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('active', 'retired')),
    created_at   TEXT NOT NULL,
    retired_at   TEXT,
    certified_by TEXT,
    PRIMARY KEY (archive_id, fingerprint)
);
