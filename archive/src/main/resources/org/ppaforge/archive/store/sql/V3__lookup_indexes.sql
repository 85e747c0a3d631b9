-- Lookups by file name and by binary package, so a small include into a large archive
-- reads only the rows it touches.
CREATE INDEX binary_package_filename ON binary_package(filename);
CREATE INDEX source_file_filename ON source_file(filename);
CREATE INDEX binary_publication_binary ON binary_publication(binary_id);
