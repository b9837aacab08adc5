-- The schema of SQLite's migrations 0001-0005 (src/store/sqlite/migrations), in PostgreSQL's
-- dialect: the same tables, columns and keys. Times are milliseconds since the epoch (BIGINT);
-- events.seq is an identity column, strictly increasing and never reused like SQLite's
-- AUTOINCREMENT rowid.
CREATE TABLE orgs (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created BIGINT NOT NULL
);
CREATE TABLE users (
  org_id TEXT NOT NULL,
  id TEXT NOT NULL,
  status TEXT NOT NULL,
  created BIGINT NOT NULL,
  activated BIGINT NOT NULL,
  status_changed BIGINT NOT NULL,
  last_login BIGINT NOT NULL,
  last_updated BIGINT NOT NULL,
  password_changed BIGINT NOT NULL,
  login_lower TEXT NOT NULL,
  profile TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, login_lower)
);
CREATE TABLE groups (
  org_id TEXT NOT NULL,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  created BIGINT NOT NULL,
  last_updated BIGINT NOT NULL,
  last_membership_updated BIGINT NOT NULL,
  name_lower TEXT NOT NULL,
  profile TEXT NOT NULL,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, name_lower)
);
CREATE TABLE group_members (
  org_id TEXT NOT NULL,
  group_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  PRIMARY KEY (org_id, group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (org_id, user_id);
CREATE TABLE role_assignments (
  org_id TEXT NOT NULL,
  id TEXT NOT NULL,
  principal_type TEXT NOT NULL,
  principal_id TEXT NOT NULL,
  type TEXT NOT NULL,
  created BIGINT NOT NULL,
  last_updated BIGINT NOT NULL,
  PRIMARY KEY (org_id, id)
);
CREATE TABLE api_tokens (
  org_id TEXT NOT NULL,
  id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  mac BYTEA NOT NULL,
  hint TEXT NOT NULL,
  created BIGINT NOT NULL,
  last_updated BIGINT NOT NULL,
  last_used BIGINT NOT NULL,
  revoked SMALLINT NOT NULL,
  PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX api_tokens_mac ON api_tokens (mac);
CREATE TABLE documents (
  org_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  parent_id TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (org_id, kind, id)
);
CREATE INDEX documents_parent ON documents (org_id, parent_id);
CREATE TABLE events (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id TEXT NOT NULL,
  uuid TEXT NOT NULL,
  published BIGINT NOT NULL,
  event_type TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX events_org_published ON events (org_id, published, seq);
CREATE INDEX events_org_seq ON events (org_id, seq);
