// What a backup must bring back: row counts and checksums per layer (dataset) and per table, every
// sequence ahead of its column and the row-security wall (policies, RLS flags, grants to samenhang_app).
// backup.mjs writes this manifest beside the dump; restore.mjs recomputes it on the restored database
// and compares; tests/integration/backup-restore.test.ts uses the same functions.
//
// Checksum of a set of rows: md5 of each row's text (`t::text`: every column in its canonical output,
// geometry as full hex EWKB, json as stored), the row hashes sorted and hashed again. Sorting the
// hashes rather than the rows needs no primary key (asset partitions have none) and makes the result
// a function of the rows alone; hashing each row first keeps the aggregate at 32 bytes a row, well
// under PostgreSQL's 1 GB text limit for a city-sized layer.

export const MANIFEST_FORMAT = 'samenhang-backup/1';

// Settings that change how values print: fixed, so both sides print the same row the same way.
// samenhang.system: the system row-security context (api/src/db/tenant-context.ts), so an owner role
// that is not superuser still sees every row of the FORCE'd row-security tables.
const SESSION = [
  "SET TimeZone = 'UTC'",
  "SET DateStyle = 'ISO, YMD'",
  "SET IntervalStyle = 'postgres'",
  'SET extra_float_digits = 1',
  "SET bytea_output = 'hex'",
  "SELECT set_config('samenhang.system', 'on', false)",
];

const HASHED = `md5(coalesce(string_agg(h, '' ORDER BY h COLLATE "C"), ''))`;

// every table of the application (not PostGIS's own, not asset's partitions: asset is checked per layer)
const TABLES_SQL = `
  SELECT c.oid::regclass::text AS name FROM pg_class c
  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    AND c.relname <> 'asset'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  ORDER BY 1`;

const LAYERS_SQL = `
  SELECT d.id, d.name, coalesce(a.rows, 0)::bigint AS rows, coalesce(a.checksum, md5('')) AS checksum
  FROM dataset d LEFT JOIN (
    SELECT dataset_id, count(*) AS rows, ${HASHED} AS checksum
    FROM (SELECT dataset_id, md5(t::text) AS h FROM asset t) x GROUP BY dataset_id
  ) a ON a.dataset_id = d.id
  ORDER BY d.id`;

// Sequences are not transactional: pg_dump and this manifest read them at different moments, so
// their values are not compared. What a restore must keep is that each is ahead of its column, or
// the next insert collides with a restored row.
const SEQUENCES_SQL = `
  SELECT s.oid::regclass::text AS name, t.oid::regclass::text AS tbl, quote_ident(a.attname) AS col
  FROM pg_class s
  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
  JOIN pg_class t ON t.oid = d.refobjid
  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)
  WHERE s.relkind = 'S' AND s.relnamespace = 'public'::regnamespace
  ORDER BY 1`;

// the row-security wall as text lines, hashed: a restore that lost a policy or a grant differs here
const SECURITY_SQL = {
  policies: `SELECT format('%s %s %s %s %s %s', tablename, policyname, cmd, roles, qual, with_check) AS line
             FROM pg_policies WHERE schemaname = 'public'`,
  rowSecurity: `SELECT format('%s %s %s', relname, relrowsecurity, relforcerowsecurity) AS line
                FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relrowsecurity`,
  appGrants: `SELECT format('%s %s', c.relname, a.privilege_type) AS line
              FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a JOIN pg_roles r ON r.oid = a.grantee
              WHERE c.relnamespace = 'public'::regnamespace AND r.rolname = 'samenhang_app'`,
};

/** Fix the output settings of this session (see SESSION); call once before the queries below. */
export async function prepareSession(client) {
  for (const sql of SESSION) await client.query(sql);
}

async function tableChecksum(client, name) {
  // `name` comes from the catalog as a quoted regclass text, never from input
  const r = await client.query(`SELECT count(*)::bigint AS rows, ${HASHED} AS checksum FROM (SELECT md5(t::text) AS h FROM ${name} t) x`);
  return { name, rows: Number(r.rows[0].rows), checksum: r.rows[0].checksum };
}

async function sequenceState(client, { name, tbl, col }) {
  // identifiers from the catalog (regclass text, quote_ident), never from input
  const r = await client.query(`SELECT (SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM ${name})::text AS next,
    (SELECT max(${col}) FROM ${tbl})::text AS max`);
  const { next, max } = r.rows[0];
  return { name, column: `${tbl}.${col}`, next, max, ahead: max === null || BigInt(next) > BigInt(max) };
}

async function linesChecksum(client, sql) {
  const r = await client.query(`SELECT count(*)::int AS count, md5(coalesce(string_agg(line, E'\\n' ORDER BY line COLLATE "C"), '')) AS checksum FROM (${sql}) x`);
  return { count: r.rows[0].count, checksum: r.rows[0].checksum };
}

/**
 * Counts and checksums of everything a restore must bring back, read through `client` (pg.Client);
 * run it inside the transaction whose snapshot the dump used, so both see the same rows.
 */
export async function computeManifest(client) {
  await prepareSession(client);
  const layers = (await client.query(LAYERS_SQL)).rows.map((r) => ({ id: r.id, name: r.name, rows: Number(r.rows), checksum: r.checksum }));
  const tables = [];
  for (const { name } of (await client.query(TABLES_SQL)).rows) tables.push(await tableChecksum(client, name));
  const sequences = [];
  for (const row of (await client.query(SEQUENCES_SQL)).rows) sequences.push(await sequenceState(client, row));
  const security = {};
  for (const [key, sql] of Object.entries(SECURITY_SQL)) security[key] = await linesChecksum(client, sql);
  return { layers, tables, sequences, security };
}

function compareList(what, expected, actual, key, fields) {
  const out = [];
  const byKey = new Map(actual.map((x) => [String(x[key]), x]));
  for (const e of expected) {
    const a = byKey.get(String(e[key]));
    const label = what === 'layer' ? `layer ${e.id} "${e.name}"` : `${what} ${e[key]}`;
    if (!a) out.push(`${label}: missing`);
    else for (const f of fields) if (a[f] !== e[f]) out.push(`${label}: ${f} ${f === 'checksum' ? 'differs' : `${e[f]} expected, ${a[f]} found`}`);
    byKey.delete(String(e[key]));
  }
  for (const a of byKey.values()) out.push(`${what === 'layer' ? `layer ${a.id} "${a.name}"` : `${what} ${a[key]}`}: not in the backup`);
  return out;
}

/** One line per difference between a manifest and a recomputed one (layers, tables, security) and per sequence behind its column; empty when all hold. */
export function compareManifests(expected, actual) {
  const security = Object.keys(expected.security ?? {}).flatMap((k) => {
    const e = expected.security[k];
    const a = actual.security?.[k];
    if (!a) return [`security ${k}: missing`];
    return a.count !== e.count || a.checksum !== e.checksum ? [`security ${k}: ${e.count} expected, ${a.count} found${a.count === e.count ? ' (content differs)' : ''}`] : [];
  });
  return [
    ...compareList('layer', expected.layers, actual.layers, 'id', ['name', 'rows', 'checksum']),
    ...compareList('table', expected.tables, actual.tables, 'name', ['rows', 'checksum']),
    ...expected.sequences.filter((e) => !actual.sequences.some((a) => a.name === e.name)).map((e) => `sequence ${e.name}: missing`),
    ...actual.sequences.filter((q) => !q.ahead).map((q) => `sequence ${q.name}: next value ${q.next} is not above ${q.column}'s ${q.max}`),
    ...security,
  ];
}

/** Rows over all layers and tables, for a summary line. */
export function totalRows(manifest) {
  return [...manifest.layers, ...manifest.tables].reduce((n, x) => n + x.rows, 0);
}

/** The manifest beside a dump: x.dump → x.manifest.json. */
export function manifestPathFor(dumpFile) {
  return `${dumpFile.endsWith('.dump') ? dumpFile.slice(0, -'.dump'.length) : dumpFile}.manifest.json`;
}
