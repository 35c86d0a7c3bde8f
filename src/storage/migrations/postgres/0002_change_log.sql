-- The change log that lets several registry processes serve one database.
--
-- Every write appends its changes here in the same transaction (one row per
-- change, in the dump's JSON line format), under a transaction-scoped
-- advisory lock that all writers take, so `seq` orders the log as the
-- writes were committed. Each process applies the rows after the last one
-- it reflects: before its own writes (holding the lock) and in the
-- background when notified on channel schema_registry_changes.
--
-- Rows older than a day are pruned by the writers; change_log_floor keeps
-- the highest seq pruned, so that a process cut off for longer than that
-- knows it has to restart and load afresh.
CREATE TABLE change_log (
	seq BIGSERIAL PRIMARY KEY,
	change TEXT NOT NULL,
	created_ms BIGINT NOT NULL -- ms since the epoch
);

CREATE TABLE change_log_floor (
	id BOOLEAN PRIMARY KEY DEFAULT true CHECK (id),
	seq BIGINT NOT NULL
);

INSERT INTO change_log_floor (id, seq) VALUES (true, 0);
