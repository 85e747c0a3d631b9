-- Files of uploads in progress, for installations on a shared database: dput sends each file of an upload in its own
-- request, and behind a load balancer they may reach different servers. Each server keeps what it received in the
-- pool (by SHA-256) and a row here, so the server that receives the .changes finds the rest. The embedded default
-- keeps them in incoming/ only and leaves this table empty.
CREATE TABLE incoming_file (
    archive     TEXT NOT NULL,
    uploader    TEXT NOT NULL,
    name        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        BIGINT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (archive, uploader, name)
);
