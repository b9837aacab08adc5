CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id TEXT NOT NULL,
  uuid TEXT NOT NULL,
  published INTEGER NOT NULL,
  event_type TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX events_org_published ON events (org_id, published, seq);
CREATE INDEX events_org_seq ON events (org_id, seq);
CREATE INDEX events_published ON events (published);
