-- The build farm's tables (builds.db beside ppaforge.db), applied by the core's migration runner.
CREATE TABLE build (
    id INTEGER PRIMARY KEY,
    archive TEXT NOT NULL,
    series TEXT NOT NULL,
    source TEXT NOT NULL,
    version TEXT NOT NULL,
    source_publication_id INTEGER NOT NULL,
    source_id INTEGER NOT NULL,
    architecture TEXT NOT NULL,
    arch_all INTEGER NOT NULL,
    state TEXT NOT NULL,
    score INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    worker TEXT,
    lease_until TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    unmet TEXT,
    message TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    UNIQUE (source_publication_id, architecture)
);
CREATE INDEX build_queue ON build (state, architecture, score DESC, id);
CREATE INDEX build_archive ON build (archive, state);
CREATE TABLE chroot (
    series TEXT NOT NULL,
    architecture TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mirror TEXT NOT NULL,
    suite TEXT NOT NULL,
    includes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (series, architecture)
);
