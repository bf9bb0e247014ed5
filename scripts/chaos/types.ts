/** One part of `npm run chaos` (issue 10): what was tried, how often, what held. */
export interface ChaosOptions {
  /** the short version that `npm test` runs (tests/integration/chaos-*.test.ts) */
  smoke: boolean;
  log: (msg: string) => void;
  /** a PostgreSQL server URL on which the part may create (and drop) its own databases */
  serverUrl: string;
}

export interface ChaosResult {
  part: string;
  /** every check of the part held */
  ok: boolean;
  /** one paragraph for docs/reliability.md: what was tried, how often, what held (and what did not) */
  summary: string;
  /** the figures of the run (counts, seconds, MB) */
  figures: Record<string, number | string>;
  /** each failed check, named with where it failed */
  failures: string[];
}

export type ChaosPart = (opts: ChaosOptions) => Promise<ChaosResult>;
