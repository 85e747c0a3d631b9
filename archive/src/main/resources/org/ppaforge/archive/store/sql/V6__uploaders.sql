-- The OpenPGP keys allowed to sign uploads (.changes, .dsc) to an archive.
CREATE TABLE archive_uploader (
    archive_id  INTEGER NOT NULL REFERENCES archive(id),
    fingerprint TEXT NOT NULL,
    user_ids    TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (archive_id, fingerprint)
);
