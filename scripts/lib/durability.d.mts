// Types for durability.mjs, so TypeScript (tests, scripts) can import it.

/** Anything with pg's query(): a pg.Client, PoolClient or Pool. */
export interface Queryable {
  query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
}

/** fsync, full_page_writes, synchronous_commit: the settings that must be on. */
export const DURABILITY_SETTINGS: readonly string[];

/** SHOW values (session values included) of the durability settings plus wal_level and data_checksums. */
export type DurabilitySettings = Record<string, string>;

export function readDurability(client: Queryable): Promise<DurabilitySettings>;
/** One line per durability setting that is off, saying what that risks; empty when all hold. */
export function durabilityProblems(settings: DurabilitySettings): string[];
export function formatDurability(settings: DurabilitySettings): string;
export function checkDurability(url: string): Promise<{ settings: DurabilitySettings; problems: string[] }>;
