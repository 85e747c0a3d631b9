-- A cancel asked for while a run runs: it stops before its next step.
ALTER TABLE run ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
