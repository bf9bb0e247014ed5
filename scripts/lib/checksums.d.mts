// Types for checksums.mjs, so TypeScript (tests) can import it.

/** Anything with pg's query(): a pg.Client or PoolClient. */
export interface Queryable {
  query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
}

export const MANIFEST_FORMAT: string;

export interface LayerSum {
  id: number;
  name: string;
  rows: number;
  checksum: string;
}
export interface TableSum {
  name: string;
  rows: number;
  checksum: string;
}
export interface Contents {
  layers: LayerSum[];
  tables: TableSum[];
  /** per sequence owned by an integer column: its next value, the column's max, and whether it is ahead */
  sequences: { name: string; column: string; next: string; max: string | null; ahead: boolean }[];
  security: Record<string, { count: number; checksum: string }>;
}

/** The manifest backup.mjs writes beside a dump: the contents plus where they came from. */
export interface Manifest extends Contents {
  format: string;
  createdAt: string;
  database: string;
  /** owner of the application's tables; restore keeps it when the role exists on the target */
  owner: string;
  serverVersion: string;
  durability: Record<string, string>;
  file: { name: string; bytes: number; sha256: string };
}

/** Fix the output settings of this session (time zone, date style, float digits, system RLS context). */
export function prepareSession(client: Queryable): Promise<void>;
/** Counts and checksums per layer and table, sequence positions and the row-security wall. */
export function computeManifest(client: Queryable): Promise<Contents>;
/** One line per difference; empty when equal. */
export function compareManifests(expected: Contents, actual: Contents): string[];
export function totalRows(manifest: Contents): number;
/** The manifest beside a dump: x.dump → x.manifest.json. */
export function manifestPathFor(dumpFile: string): string;
