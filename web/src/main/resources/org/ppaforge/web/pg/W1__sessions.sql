-- Web sessions shared by every server (PostgreSQL only; the embedded default keeps them in memory). The key is the
-- SHA-256 of the cookie's session id; the token's secret is sealed under a key only the cookie gives.
CREATE TABLE web_session (
    id_sha256  TEXT PRIMARY KEY,
    sealed     TEXT NOT NULL,
    token_name TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    seen_at    TEXT NOT NULL
);
CREATE INDEX web_session_seen ON web_session (seen_at);
CREATE INDEX web_session_token ON web_session (token_name);
