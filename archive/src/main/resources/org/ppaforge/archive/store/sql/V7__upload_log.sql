-- Every upload an archive received through its incoming queue, accepted or rejected, with why.
CREATE TABLE upload_log (
    id          INTEGER PRIMARY KEY,
    archive_id  INTEGER NOT NULL REFERENCES archive(id),
    changes     TEXT NOT NULL,
    source      TEXT,
    version     TEXT,
    series      TEXT,
    signer      TEXT,
    token_name  TEXT,
    status      TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')),
    reason      TEXT,
    received_at TEXT NOT NULL
);
CREATE INDEX upload_log_archive ON upload_log (archive_id, id);
