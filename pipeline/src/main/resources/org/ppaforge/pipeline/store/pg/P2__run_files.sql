-- A finished run's step logs and artifacts on shared stores (several servers): blobs of the pool, listed here, so any
-- server shows them and none loses them with its disk. The embedded default keeps the files and leaves this empty.
CREATE TABLE run_file (
    run_id BIGINT NOT NULL REFERENCES run(id),
    kind TEXT NOT NULL CHECK (kind IN ('log', 'artifact')),
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    PRIMARY KEY (run_id, kind, path)
);
