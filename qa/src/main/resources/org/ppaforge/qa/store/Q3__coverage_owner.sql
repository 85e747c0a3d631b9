-- Which archive a coverage project belongs to: only those who may write that archive (and its pipeline) store its
-- reports, and a private archive's project is seen only by those who may read the archive. A project without a row
-- (made before owners were recorded) takes the archive of its next upload by an admin or its pipeline.
CREATE TABLE coverage_project (
    name       TEXT PRIMARY KEY,
    archive    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
