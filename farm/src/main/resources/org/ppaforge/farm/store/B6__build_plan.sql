-- The plan a build belongs to ('backport of macutils 2.0b3-17~bpo11+1': a backport with the build-dependencies it took
-- along), taken from its source publication's origin when the build is queued; null for a build of its own.
ALTER TABLE build ADD COLUMN plan TEXT;
