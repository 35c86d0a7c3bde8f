-- The registry's state on PostgreSQL: the same tables as the SQLite
-- migration of the same number (storage/migrations/sqlite/0001_init.sql),
-- in PostgreSQL's types.
--
-- Applied by `schema-registry migrate` inside one transaction, together
-- with its row in schema_migrations. Never edit a migration once released:
-- the checksum recorded at apply time would stop matching and the server
-- would refuse the database. Change the schema with a new NNNN_name.sql.
--
-- Subjects and scopes are COLLATE "C": they compare and sort bytewise, as
-- in Confluent and in the SQLite store, whatever the database's locale.

-- Schemas are immutable and never deleted; the registry allocates ids.
-- guid is the identity hash (MD5 of type, canonical text, references,
-- metadata and ruleSet, as a UUID). Indexed, not unique: IMPORT mode may
-- bring the same schema under two ids from a registry that had them.
CREATE TABLE schemas (
	id BIGINT PRIMARY KEY CHECK (id > 0),
	schema_type TEXT NOT NULL,
	schema TEXT NOT NULL,
	references_json TEXT,
	metadata_json TEXT,
	rule_set_json TEXT,
	guid TEXT NOT NULL,
	created_at BIGINT NOT NULL -- ms since the epoch, when stored
);

CREATE INDEX schemas_guid ON schemas (guid);

-- (subject, version) -> schema id; soft-deleted rows keep deleted = true.
CREATE TABLE subject_versions (
	subject TEXT COLLATE "C" NOT NULL,
	version INTEGER NOT NULL CHECK (version > 0),
	schema_id BIGINT NOT NULL REFERENCES schemas (id),
	deleted BOOLEAN NOT NULL DEFAULT false,
	created_ms BIGINT NOT NULL, -- registration time, ms since the epoch
	PRIMARY KEY (subject, version)
);

-- Config and mode per scope: a subject, or '' for the global scope.
CREATE TABLE configs (
	scope TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	config_json TEXT NOT NULL
);

CREATE TABLE modes (
	scope TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	mode TEXT NOT NULL
);
