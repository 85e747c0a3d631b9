-- Rebuild sets, their runs, and each package's result per run.
CREATE TABLE rebuild_set (
    name        TEXT PRIMARY KEY,
    from_archive TEXT NOT NULL,
    from_series TEXT NOT NULL,
    from_key    TEXT,                         -- for an apt repository source: the armoured key its InRelease is checked with
    requested   TEXT,                         -- a run asked for (over the API): 'run' or 'force', until the runner takes it
    packages    TEXT NOT NULL,
    into_archive TEXT NOT NULL,
    series      TEXT NOT NULL,
    schedule    TEXT,                         -- daily, a cron expression, or NULL (by hand only)
    webhook     TEXT,                         -- a URL that gets each run's regressions and changes (JSON POST)
    created_at  TEXT NOT NULL
);
CREATE TABLE rebuild_run (
    id          INTEGER PRIMARY KEY,
    set_name    TEXT NOT NULL REFERENCES rebuild_set(name),
    state       TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    message     TEXT
);
CREATE TABLE rebuild_result (
    run_id          INTEGER NOT NULL REFERENCES rebuild_run(id),
    package         TEXT NOT NULL,
    version         TEXT,
    rebuilt_version TEXT,
    built           INTEGER NOT NULL,
    build_id        INTEGER,
    test            TEXT,
    retried_from    TEXT,
    verdict         TEXT NOT NULL,
    last_good_version TEXT,
    last_good_at    TEXT,
    message         TEXT,
    env_key         TEXT,
    at              TEXT NOT NULL,
    PRIMARY KEY (run_id, package)
);
CREATE INDEX rebuild_result_package ON rebuild_result (package, run_id);
