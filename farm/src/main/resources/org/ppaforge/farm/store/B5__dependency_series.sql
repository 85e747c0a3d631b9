-- An external dependency line may serve one series only ('ppa archive set A --series S --external-dependency ...');
-- null: every series that has no line of its own. The line's suite may say {series}.
ALTER TABLE archive_dependency ADD COLUMN series TEXT;
