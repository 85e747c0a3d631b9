-- Each binary's short description (the first line of its Description), so an archive's page lists it and its search
-- matches it without reading every control stanza.
ALTER TABLE binary_package ADD COLUMN summary TEXT NOT NULL DEFAULT '';
UPDATE binary_package
   SET summary = trim(substr(
           substr(char(10) || control, instr(char(10) || control, char(10) || 'Description:') + 13),
           1,
           instr(substr(char(10) || control, instr(char(10) || control, char(10) || 'Description:') + 13) || char(10),
                 char(10)) - 1))
 WHERE instr(char(10) || control, char(10) || 'Description:') > 0;
