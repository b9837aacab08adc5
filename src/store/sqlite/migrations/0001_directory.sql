CREATE TABLE orgs (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created INTEGER NOT NULL
);
CREATE TABLE users (
  org_id TEXT NOT NULL,
  id TEXT NOT NULL,
  status TEXT NOT NULL,
  created INTEGER NOT NULL,
  activated INTEGER NOT NULL,
  status_changed INTEGER NOT NULL,
  last_login INTEGER NOT NULL,
  last_updated INTEGER NOT NULL,
  password_changed INTEGER NOT NULL,
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
  created INTEGER NOT NULL,
  last_updated INTEGER NOT NULL,
  last_membership_updated INTEGER NOT NULL,
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
  created INTEGER NOT NULL,
  last_updated INTEGER NOT NULL,
  PRIMARY KEY (org_id, id)
);
CREATE TABLE api_tokens (
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
);
CREATE UNIQUE INDEX api_tokens_mac ON api_tokens (mac);
