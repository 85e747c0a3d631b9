-- Which change of an archive its published tree shows. Every change that the tree reflects (publications,
-- signing keys, publish settings) bumps changed_seq in the writer's own transaction (these triggers); a publish
-- records the changed_seq of the snapshot it wrote as published_seq. changed_seq > published_seq after a crash
-- between a commit and its publish: the next command, or the server's start, publishes again.
ALTER TABLE archive ADD COLUMN changed_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE archive ADD COLUMN published_seq INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER source_publication_added AFTER INSERT ON source_publication BEGIN UPDATE archive SET changed_seq = changed_seq + 1 WHERE id = NEW.archive_id; END;
CREATE TRIGGER source_publication_changed AFTER UPDATE ON source_publication BEGIN UPDATE archive SET changed_seq = changed_seq + 1 WHERE id = NEW.archive_id; END;
CREATE TRIGGER source_publication_removed AFTER DELETE ON source_publication BEGIN UPDATE archive SET changed_seq = changed_seq + 1 WHERE id = OLD.archive_id; END;
CREATE TRIGGER binary_publication_added AFTER INSERT ON binary_publication BEGIN UPDATE archive SET changed_seq = changed_seq + 1 WHERE id = NEW.archive_id; END;
CREATE TRIGGER binary_publication_changed AFTER UPDATE ON binary_publication BEGIN UPDATE archive SET changed_seq = changed_seq + 1 WHERE id = NEW.archive_id; END;
CREATE TRIGGER binary_publication_removed AFTER DELETE ON binary_publication BEGIN UPDATE archive SET changed_seq = changed_seq + 1 WHERE id = OLD.archive_id; END;
CREATE TRIGGER archive_key_added AFTER INSERT ON archive_key BEGIN UPDATE archive SET changed_seq = changed_seq + 1 WHERE id = NEW.archive_id; END;
CREATE TRIGGER archive_key_changed AFTER UPDATE ON archive_key BEGIN UPDATE archive SET changed_seq = changed_seq + 1 WHERE id = NEW.archive_id; END;
CREATE TRIGGER archive_settings_changed AFTER UPDATE OF origin, label, not_automatic, but_automatic_upgrades, valid_for_seconds, keep_superseded_seconds, private, description ON archive BEGIN UPDATE archive SET changed_seq = changed_seq + 1 WHERE id = NEW.id; END;
