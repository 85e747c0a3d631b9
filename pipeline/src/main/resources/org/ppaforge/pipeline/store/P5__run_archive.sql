-- The archive a run uploads to, from its definition (known once the definition is read): pages show each archive's runs.
ALTER TABLE run ADD COLUMN archive TEXT;
