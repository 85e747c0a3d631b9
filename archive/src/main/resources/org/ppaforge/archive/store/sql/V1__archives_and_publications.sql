-- Archives (PPAs), the packages they publish, and the publication history.
CREATE TABLE archive (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    description   TEXT NOT NULL DEFAULT '',
    series        TEXT NOT NULL,            -- comma-separated, e.g. 'jammy,noble'
    components    TEXT NOT NULL,            -- comma-separated, e.g. 'main'
    architectures TEXT NOT NULL,            -- comma-separated, e.g. 'amd64,arm64'
    created_at    TEXT NOT NULL
);

-- Content-addressed pool files, shared by every archive that publishes them.
CREATE TABLE pool_file (
    sha256 TEXT PRIMARY KEY,
    size   INTEGER NOT NULL,
    md5    TEXT NOT NULL,
    sha1   TEXT NOT NULL,
    sha512 TEXT NOT NULL
) WITHOUT ROWID;

-- A source package: name, version and (when known) its .dsc and files.
CREATE TABLE source_package (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    version    TEXT NOT NULL,
    dsc_sha256 TEXT,                        -- NULL when only its binaries are known
    stanza     TEXT,                        -- the .dsc's fields
    created_at TEXT NOT NULL
);
CREATE INDEX source_package_name_version ON source_package(name, version);

CREATE TABLE source_file (
    source_id INTEGER NOT NULL REFERENCES source_package(id),
    filename  TEXT NOT NULL,
    sha256    TEXT NOT NULL REFERENCES pool_file(sha256),
    PRIMARY KEY (source_id, filename)
);

-- A built binary package (.deb), one row per distinct content. Which source it belongs to
-- is a matter of its publications (binary_publication.source_publication_id).
CREATE TABLE binary_package (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    version      TEXT NOT NULL,
    architecture TEXT NOT NULL,
    filename     TEXT NOT NULL,
    sha256       TEXT NOT NULL UNIQUE REFERENCES pool_file(sha256),
    control      TEXT NOT NULL,             -- the control stanza
    contents     TEXT NOT NULL              -- data member paths, one per line
);

CREATE TABLE source_publication (
    id             INTEGER PRIMARY KEY,
    archive_id     INTEGER NOT NULL REFERENCES archive(id),
    series         TEXT NOT NULL,
    component      TEXT NOT NULL,
    source_id      INTEGER NOT NULL REFERENCES source_package(id),
    name           TEXT NOT NULL,
    version        TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('published', 'superseded', 'deleted')),
    origin         TEXT NOT NULL,           -- how it arrived: 'include', 'copy from trunk/noble', ...
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    superseded_at  TEXT,
    superseded_by  INTEGER REFERENCES source_publication(id),
    deleted_at     TEXT,
    deleted_by     TEXT,
    deleted_reason TEXT
);
-- Only one version of a source is published per archive and series.
CREATE UNIQUE INDEX source_publication_one_published ON source_publication(archive_id, series, name) WHERE status = 'published';
CREATE INDEX source_publication_history ON source_publication(archive_id, name);

CREATE TABLE binary_publication (
    id                    INTEGER PRIMARY KEY,
    source_publication_id INTEGER NOT NULL REFERENCES source_publication(id),
    binary_id             INTEGER NOT NULL REFERENCES binary_package(id),
    archive_id            INTEGER NOT NULL REFERENCES archive(id),
    series                TEXT NOT NULL,
    name                  TEXT NOT NULL,
    architecture          TEXT NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('published', 'superseded', 'deleted')),
    created_at            TEXT NOT NULL,
    ended_at              TEXT
);
CREATE UNIQUE INDEX binary_publication_one_published ON binary_publication(archive_id, series, name, architecture) WHERE status = 'published';
CREATE INDEX binary_publication_source ON binary_publication(source_publication_id);
