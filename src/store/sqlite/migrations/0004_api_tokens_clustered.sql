-- API tokens clustered by (org_id, id) (issue #5, scale runs): start-up reads an org's tokens as
-- one sequential range in id order instead of a lookup into the rowid table per index entry
-- (with 1M tokens: about 3x less time in SQLite, and the read model's map is filled in order).
-- Same columns in the same order. On an existing database this rewrites the table once.
CREATE TABLE api_tokens_clustered (
  org_id TEXT NOT NULL,
  id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  mac BLOB NOT NULL,
  hint TEXT NOT NULL,
  created INTEGER NOT NULL,
  last_updated INTEGER NOT NULL,
  last_used INTEGER NOT NULL,
  revoked INTEGER NOT NULL,
  PRIMARY KEY (org_id, id)
) WITHOUT ROWID;
INSERT INTO api_tokens_clustered SELECT org_id, id, user_id, name, mac, hint, created, last_updated,
  last_used, revoked FROM api_tokens ORDER BY org_id, id;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_clustered RENAME TO api_tokens;
CREATE UNIQUE INDEX api_tokens_mac ON api_tokens (mac);
