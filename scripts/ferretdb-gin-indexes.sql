-- Makes FerretDB v1's pushed-down equality lookups index-backed, in the PostgreSQL database FerretDB stores in.
-- Run by `scripts/services.sh tune` (idempotent: functions replaced, trigger created once, indexes IF NOT EXISTS).
--
-- Why: FerretDB v1 lays a MongoDB database out as a PostgreSQL schema (with its `_ferretdb_database_metadata`
-- table) and a collection as a table with one `jsonb` column, `_jsonb`. It pushes an equality on a top-level
-- field down as `_jsonb->'field' @> '<json value>'`, but the indexes it creates (for `_id` and for every
-- createIndexes key) are btree indexes on `(_jsonb->'field')`, which cannot serve `@>`: every lookup scanned
-- the table. A GIN index on the same expression serves it.
--
-- Without a pending list (`fastupdate = off`): each of these indexes holds one key per row, so an insert
-- costs one GIN descent either way, while with the list every lookup reads the entries not yet merged (up to
-- gin_pending_list_limit, 4 MB) until a VACUUM merges them; with autovacuum off (this machine's PostgreSQL)
-- that doubled PostgreSQL's CPU per submission at 100,000 documents (bench e2e-history).
--
-- What: one GIN index per table and top-level field that FerretDB indexes (`_id` included): a compound
-- index's fields each get theirs, shared by every index naming that field. FerretDB pushes down no dotted
-- (nested) key in finds, and no range operator at all, so nested fields get none (it would only cost writes).
-- The event trigger adds them as FerretDB creates its btree indexes, so collections and databases created
-- later (each test file's database) are covered; `hopper_ferretdb_gin_backfill()` covers those created
-- before the trigger existed.

-- The GIN indexes mirroring one btree index of a FerretDB table; answers how many it created.
CREATE OR REPLACE FUNCTION public.hopper_ferretdb_gin_for_index(index_oid oid) RETURNS integer
LANGUAGE plpgsql AS $fn$
DECLARE
  target record;
  column_expr text;
  field text;
  gin_name text;
  created integer := 0;
BEGIN
  SELECT i.indrelid AS table_oid, i.indnkeyatts AS key_count, ns.nspname AS schema_name, t.relname AS table_name, am.amname AS method
    INTO target
    FROM pg_index i
    JOIN pg_class ix ON ix.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ix.relam
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace ns ON ns.oid = t.relnamespace
   WHERE i.indexrelid = index_oid;
  -- Only FerretDB's btree indexes on its collection tables (not its metadata table, nor our own GIN indexes,
  -- whose creation fires the trigger again).
  IF NOT FOUND OR target.method <> 'btree' OR target.table_name = '_ferretdb_database_metadata' THEN RETURN 0; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = target.schema_name)
                  AND relname = '_ferretdb_database_metadata')
     OR NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = target.table_oid AND attname = '_jsonb'
                  AND atttypid = 'jsonb'::regtype AND NOT attisdropped) THEN
    RETURN 0;
  END IF;
  FOR key_number IN 1 .. target.key_count LOOP
    -- FerretDB writes a top-level field as (_jsonb -> 'field'::text); a nested one chains one -> per part.
    column_expr := pg_get_indexdef(index_oid, key_number, false);
    field := substring(column_expr FROM '^\(*_jsonb -> ''((?:[^'']|'''')*)''::text\)*$');
    CONTINUE WHEN field IS NULL;
    field := replace(field, '''''', '''');
    gin_name := left(target.table_name, 40) || '_' || left(md5(field), 8) || '_gin';
    IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = gin_name AND relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = target.schema_name)) THEN
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb -> %L)) WITH (fastupdate = off)', gin_name, target.schema_name, target.table_name, field);
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END
$fn$;

-- Our GIN indexes made before they were made without a pending list: switched, and their list merged now.
DO $do$
DECLARE
  gin record;
BEGIN
  FOR gin IN
    SELECT ix.oid, ns.nspname AS schema_name, ix.relname AS index_name
      FROM pg_class ix
      JOIN pg_namespace ns ON ns.oid = ix.relnamespace
      JOIN pg_am am ON am.oid = ix.relam
     WHERE am.amname = 'gin' AND ix.relname LIKE '%\_gin' ESCAPE '\'
       AND NOT coalesce('fastupdate=off' = ANY (ix.reloptions), false)
  LOOP
    EXECUTE format('ALTER INDEX %I.%I SET (fastupdate = off)', gin.schema_name, gin.index_name);
    PERFORM gin_clean_pending_list(gin.oid::regclass);
  END LOOP;
END
$do$;

-- Every FerretDB table's GIN indexes, for what was created before the trigger (or while it was missing).
CREATE OR REPLACE FUNCTION public.hopper_ferretdb_gin_backfill() RETURNS integer
LANGUAGE plpgsql AS $fn$
DECLARE
  created integer := 0;
  btree record;
BEGIN
  FOR btree IN
    SELECT i.indexrelid
      FROM pg_index i
      JOIN pg_class t ON t.oid = i.indrelid
     WHERE EXISTS (SELECT 1 FROM pg_class m WHERE m.relnamespace = t.relnamespace AND m.relname = '_ferretdb_database_metadata')
  LOOP
    created := created + public.hopper_ferretdb_gin_for_index(btree.indexrelid);
  END LOOP;
  RETURN created;
END
$fn$;

-- Fired after every CREATE INDEX in this PostgreSQL database. A failure here must never fail FerretDB's own
-- statement (the application's createIndexes): it is reported as a warning and the btree index stays.
CREATE OR REPLACE FUNCTION public.hopper_ferretdb_gin_on_create_index() RETURNS event_trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  command record;
BEGIN
  FOR command IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    BEGIN
      PERFORM public.hopper_ferretdb_gin_for_index(command.objid);
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'hopper: no GIN index for index %: %', command.objid, SQLERRM;
    END;
  END LOOP;
END
$fn$;

-- FerretDB sends its pushed-down filters as prepared statements with the field name a parameter
-- (`_jsonb->$1 @> $2`). Only a custom plan, made with the values, can match an index expression; a generic plan
-- is a sequential scan. PostgreSQL switches a statement to its generic plan after five executions when that
-- looks no dearer, as it does while no index serves the filter, and keeps it when an index appears (a lookup
-- prepared before the first tune went on scanning after it). So FerretDB's sessions always plan with the
-- values: new sessions, that is; those already open keep their plans until FerretDB reconnects or restarts.
DO $do$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database());
END
$do$;

DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'hopper_ferretdb_gin') THEN
    CREATE EVENT TRIGGER hopper_ferretdb_gin ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
      EXECUTE FUNCTION public.hopper_ferretdb_gin_on_create_index();
  END IF;
END
$do$;
