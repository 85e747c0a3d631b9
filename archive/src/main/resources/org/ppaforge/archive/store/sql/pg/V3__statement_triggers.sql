-- The change sequence moves once per statement, not once per row: a bulk include's batched inserts of 20,000
-- publications updated the archive row 20,000 times in one transaction (10 s here; SQLite's row triggers cost nothing
-- alike). A publish only needs changed_seq to move past published_seq. Transition tables name the archives touched.
DROP TRIGGER source_publication_changed ON source_publication;
DROP TRIGGER binary_publication_changed ON binary_publication;
DROP TRIGGER archive_key_changed ON archive_key;
DROP FUNCTION archive_changed();
CREATE FUNCTION archive_rows_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE archive SET changed_seq = changed_seq + 1 WHERE id IN (SELECT DISTINCT archive_id FROM added); RETURN NULL; END $$;
CREATE FUNCTION archive_rows_removed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE archive SET changed_seq = changed_seq + 1 WHERE id IN (SELECT DISTINCT archive_id FROM removed); RETURN NULL; END $$;
CREATE TRIGGER source_publication_added AFTER INSERT ON source_publication REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION archive_rows_added();
CREATE TRIGGER source_publication_updated AFTER UPDATE ON source_publication REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION archive_rows_added();
CREATE TRIGGER source_publication_removed AFTER DELETE ON source_publication REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION archive_rows_removed();
CREATE TRIGGER binary_publication_added AFTER INSERT ON binary_publication REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION archive_rows_added();
CREATE TRIGGER binary_publication_updated AFTER UPDATE ON binary_publication REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION archive_rows_added();
CREATE TRIGGER binary_publication_removed AFTER DELETE ON binary_publication REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION archive_rows_removed();
CREATE TRIGGER archive_key_added AFTER INSERT ON archive_key REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION archive_rows_added();
CREATE TRIGGER archive_key_updated AFTER UPDATE ON archive_key REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION archive_rows_added();
