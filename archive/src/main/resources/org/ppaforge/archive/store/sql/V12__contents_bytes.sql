-- The size of each binary's Contents lines (its paths), so the bound on an archive series' Contents is a sum of
-- integers, not a read of every path at each include.
ALTER TABLE binary_package ADD COLUMN contents_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE binary_package SET contents_bytes = LENGTH(CAST(contents AS BLOB));
