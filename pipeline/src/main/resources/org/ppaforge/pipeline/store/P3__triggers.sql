-- What the triggers remember per pipeline: the branch's commit they last saw, when they last polled, the definition's
-- trigger settings as last read, and the day of the last scheduled (daily) run and the commit it ran.
ALTER TABLE pipeline ADD COLUMN seen_commit TEXT;
ALTER TABLE pipeline ADD COLUMN polled_at TEXT;
ALTER TABLE pipeline ADD COLUMN poll_seconds INTEGER;
ALTER TABLE pipeline ADD COLUMN schedule TEXT;
ALTER TABLE pipeline ADD COLUMN daily_on TEXT;
ALTER TABLE pipeline ADD COLUMN daily_commit TEXT;
