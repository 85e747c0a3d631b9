-- The install test's callback: the SHA-256 of the run's secret, until when it may come, and what it said.
ALTER TABLE run ADD COLUMN callback_sha256 TEXT;
ALTER TABLE run ADD COLUMN callback_until TEXT;
ALTER TABLE run ADD COLUMN callback_result TEXT;
ALTER TABLE run ADD COLUMN callback_message TEXT;
