-- Build logs on a shared database (several servers): a running build's log as chunks of rows (any server appends and
-- reads them), an ended build's log as a gzip blob in the pool named by its SHA-256, and its .buildinfo as a blob. The
-- embedded default keeps them as files under build-logs/ and leaves these tables empty.
CREATE TABLE build_log (
    build_id INTEGER PRIMARY KEY,
    live_bytes INTEGER NOT NULL DEFAULT 0,
    log_sha256 TEXT,
    log_bytes INTEGER,
    buildinfo_sha256 TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE build_log_chunk (
    build_id INTEGER NOT NULL,
    start_byte INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (build_id, start_byte)
);
