CREATE TABLE documents (
  org_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  parent_id TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (org_id, kind, id)
);
CREATE INDEX documents_parent ON documents (org_id, parent_id);
