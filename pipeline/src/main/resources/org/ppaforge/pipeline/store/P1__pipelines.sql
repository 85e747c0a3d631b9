-- Pipelines (pipelines.db beside ppaforge.db), applied by the core's migration runner.
CREATE TABLE pipeline (
    name TEXT PRIMARY KEY,
    git_url TEXT NOT NULL,
    branch TEXT NOT NULL,
    file TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE run (
    id INTEGER PRIMARY KEY,
    pipeline TEXT NOT NULL REFERENCES pipeline(name),
    state TEXT NOT NULL,
    trigger TEXT NOT NULL,
    ref TEXT,
    git_commit TEXT,
    version TEXT,
    message TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
);
CREATE INDEX run_state ON run (state, id);
CREATE TABLE run_step (
    run_id INTEGER NOT NULL REFERENCES run(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    message TEXT,
    started_at TEXT,
    finished_at TEXT,
    PRIMARY KEY (run_id, position)
);
