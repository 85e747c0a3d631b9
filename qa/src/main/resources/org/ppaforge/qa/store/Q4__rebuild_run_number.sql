-- Runs are numbered per set (run 1, 2, 3 of 'nightly'), as people count them; ids stay the global key.
ALTER TABLE rebuild_run ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
UPDATE rebuild_run SET number = (SELECT COUNT(*) FROM rebuild_run r WHERE r.set_name = rebuild_run.set_name
                                                                    AND r.id <= rebuild_run.id);
