-- Coverage per project and commit (one report per commit: several files uploaded together are merged), and per file.
CREATE TABLE coverage_report (
    id               INTEGER PRIMARY KEY,
    project          TEXT NOT NULL,
    git_commit       TEXT NOT NULL,
    branch           TEXT,
    format           TEXT NOT NULL,
    files            INTEGER NOT NULL,
    lines            INTEGER NOT NULL,
    covered          INTEGER NOT NULL,
    branches         INTEGER NOT NULL,
    branches_covered INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    UNIQUE (project, git_commit)
);
CREATE INDEX coverage_report_project ON coverage_report (project, id);
CREATE TABLE coverage_file (
    report_id        INTEGER NOT NULL REFERENCES coverage_report(id) ON DELETE CASCADE,
    path             TEXT NOT NULL,
    lines            INTEGER NOT NULL,
    covered          INTEGER NOT NULL,
    branches         INTEGER NOT NULL,
    branches_covered INTEGER NOT NULL,
    covered_lines    TEXT NOT NULL,
    missed_lines     TEXT NOT NULL,
    PRIMARY KEY (report_id, path)
);
