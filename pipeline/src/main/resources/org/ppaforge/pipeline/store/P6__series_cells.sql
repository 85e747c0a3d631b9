-- A run makes one source package per series and runs every test configuration in every series: each step row names
-- its series and configuration (null: the step runs once per run), and each install test cell has its own callback.
ALTER TABLE run_step ADD COLUMN series TEXT;
ALTER TABLE run_step ADD COLUMN configuration TEXT;
CREATE TABLE run_callback (
    run_id INTEGER NOT NULL REFERENCES run(id),
    step TEXT NOT NULL,
    sha256 TEXT,
    until TEXT,
    result TEXT,
    message TEXT,
    PRIMARY KEY (run_id, step)
);
CREATE INDEX run_callback_secret ON run_callback (sha256);
-- A run of one series only ('ppa pipeline run --series S'); null: every series of the definition.
ALTER TABLE run ADD COLUMN only_series TEXT;
