-- What nodes sharing one database must agree on (issue 18, many nodes).
-- single_use: the ledger of single-use values (client assertion and DPoP proof jti, RFC 7523 §3
-- item 7, RFC 9449 §11.1), one row per value until it expires: a value inserted by one node is
-- refused by every other. `id` is the SHA-256 of the replay key (the jti is the client's text,
-- of any length). Logged (durable): it is also what makes single use hold across a restart
-- (okta-compat.md §11.33). Expired rows are deleted in the background.
CREATE TABLE single_use (
  id BYTEA PRIMARY KEY,
  expires_at BIGINT NOT NULL  -- epoch seconds
);
CREATE INDEX single_use_expiry ON single_use (expires_at);
-- rate_usage: requests counted per rate-limit key and one-minute window, summed over the nodes
-- (okta-compat.md §11.30, approximately). Unlogged: a lost counter after a crash of PostgreSQL
-- only forgets some of one minute's usage.
CREATE UNLOGGED TABLE rate_usage (
  key TEXT NOT NULL,
  window_start BIGINT NOT NULL,  -- epoch minutes
  used BIGINT NOT NULL,
  PRIMARY KEY (key, window_start)
);
