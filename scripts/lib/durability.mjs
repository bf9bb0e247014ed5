// Is an acknowledged commit safe on this PostgreSQL? The three settings that decide it, read with SHOW
// (so a session's own SET counts too), plus wal_level and data_checksums for the report.
//
// fsync=off: a power loss or OS crash can corrupt the whole cluster, not just lose the last commits.
// full_page_writes=off: a page torn by a crash mid-write cannot be repaired from the WAL.
// synchronous_commit=off: a commit is acknowledged before its WAL is on disk; a crash loses up to
// 3 × wal_writer_delay of acknowledged commits (the database stays consistent). local, remote_write
// and remote_apply all flush the local WAL first, so only `off` is flagged.

/** The settings that must be on, in the order they are reported. */
export const DURABILITY_SETTINGS = ['fsync', 'full_page_writes', 'synchronous_commit'];
const REPORTED = [...DURABILITY_SETTINGS, 'wal_level', 'data_checksums'];

const WHY_OFF = {
  fsync: 'a power loss or OS crash can corrupt the cluster',
  full_page_writes: 'a page torn by a crash cannot be repaired from the WAL',
  synchronous_commit: 'commits are acknowledged before they are on disk; a crash loses the last ones',
};

/** SHOW each setting through `client` (anything with pg's query()); session values included. */
export async function readDurability(client) {
  const settings = {};
  for (const name of REPORTED) {
    // names from the constant list above, never from input
    const r = await client.query(`SHOW ${name}`);
    settings[name] = String(r.rows[0]?.[name] ?? 'unknown');
  }
  return settings;
}

/** One line per durability setting that is off, saying what that risks; empty when all hold. */
export function durabilityProblems(settings) {
  return DURABILITY_SETTINGS.filter((name) => settings[name] === 'off').map((name) => `${name} is off: ${WHY_OFF[name]}`);
}

/** `fsync=on full_page_writes=on ...` for a log line. */
export function formatDurability(settings) {
  return REPORTED.map((name) => `${name}=${settings[name] ?? 'unknown'}`).join(' ');
}

/** Connect to `url`, read the settings and say which durability setting is off. */
export async function checkDurability(url) {
  // pg is loaded here, not at the top: the scripts that import this module run before `npm install`
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const settings = await readDurability(client);
    return { settings, problems: durabilityProblems(settings) };
  } finally {
    await client.end();
  }
}
