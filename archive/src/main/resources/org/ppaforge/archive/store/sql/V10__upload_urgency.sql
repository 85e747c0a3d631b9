-- The Urgency of an upload's .changes: the build queue scores urgent uploads' builds higher (as Launchpad does).
ALTER TABLE upload_log ADD COLUMN urgency TEXT;
