-- The registry's state: schemas by global id, the versions of each subject
-- pointing at them, and the config and mode of each scope.
--
-- Applied by `schema-registry migrate` inside one transaction, together
-- with its row in schema_migrations. Never edit a migration once released:
-- the checksum recorded at apply time would stop matching and the server
-- would refuse the database. Change the schema with a new NNNN_name.sql.
--
-- Kept portable on purpose (the PostgreSQL migrations mirror it): natural
-- keys, integer milliseconds for times, JSON held as text, upserts with
-- ON CONFLICT. STRICT and WITHOUT ROWID are storage details only: STRICT
-- makes SQLite enforce the declared types as PostgreSQL does, WITHOUT
-- ROWID keeps the keyed tables in key order so a load is a single scan.

-- Schemas are immutable and never deleted; the registry allocates ids.
-- guid is the identity hash (MD5 of type, canonical text, references,
-- metadata and ruleSet, as a UUID). It is indexed, not unique: IMPORT mode
-- may bring the same schema under two ids from a registry that had them.
CREATE TABLE schemas (
	id INTEGER PRIMARY KEY,
	schema_type TEXT NOT NULL,
	schema TEXT NOT NULL,
	references_json TEXT,
	metadata_json TEXT,
	rule_set_json TEXT,
	guid TEXT NOT NULL,
	created_at INTEGER NOT NULL -- ms since the epoch, when stored
) STRICT;

CREATE INDEX schemas_guid ON schemas (guid);

-- (subject, version) -> schema id; soft-deleted rows keep deleted = 1.
-- Subjects compare bytewise (BINARY; COLLATE "C" on PostgreSQL).
CREATE TABLE subject_versions (
	subject TEXT NOT NULL,
	version INTEGER NOT NULL CHECK (version > 0),
	schema_id INTEGER NOT NULL REFERENCES schemas (id),
	deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
	created_ms INTEGER NOT NULL, -- registration time, ms since the epoch
	PRIMARY KEY (subject, version)
) STRICT, WITHOUT ROWID;

-- Config and mode per scope: a subject, or '' for the global scope (the
-- storage API's subject NULL; an empty subject is never a valid one).
CREATE TABLE configs (
	scope TEXT NOT NULL PRIMARY KEY,
	config_json TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE modes (
	scope TEXT NOT NULL PRIMARY KEY,
	mode TEXT NOT NULL
) STRICT, WITHOUT ROWID;
