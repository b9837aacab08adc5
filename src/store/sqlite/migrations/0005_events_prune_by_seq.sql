-- System Log retention prunes in seq order (store/sqlite/event_log.cpp delete_events_before), so
-- the index on published alone is no longer kept up on every insert (issue #4: the token
-- endpoint writes one event per request).
DROP INDEX events_published;
