-- Who holds a lease is a token, not a name: the id of the worker token that leased the build (-1: the server's own
-- process token); and the SHA-256 of the read credential made for this lease alone (private dependency archives),
-- good only while the build is building.
ALTER TABLE build ADD COLUMN lease_token INTEGER;
ALTER TABLE build ADD COLUMN read_sha256 TEXT;
