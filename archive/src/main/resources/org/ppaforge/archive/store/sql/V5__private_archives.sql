-- A private archive is served only to requests carrying a token that covers it.
ALTER TABLE archive ADD COLUMN private INTEGER NOT NULL DEFAULT 0;
