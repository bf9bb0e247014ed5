/**
 * The smoke version of `npm run chaos -- import-crash` (issue 10 Must 1): the real server process
 * is killed with SIGKILL at about 50 % of the COPY of a SYNTHETIC 30,000-line import; after the
 * restart the layer is absent or complete, staging is gone, and the retry with the same
 * Idempotency-Key lands exactly the row count and checksum of an uninterrupted import.
 */
import { describe, expect, it } from 'vitest';
import { importCrash } from '../../scripts/chaos/import-crash.ts';
import { testServerUrl } from '../helpers/db.ts';

describe('chaos: kill -9 during an import (smoke)', () => {
  it('leaves the layer complete or absent, cleans up, and the keyed retry matches the reference', async () => {
    const server = new URL(testServerUrl());
    server.pathname = '/postgres';
    const log: string[] = [];
    const r = await importCrash({ smoke: true, log: (m) => log.push(m), serverUrl: server.toString() });
    expect(r.failures, log.join('\n')).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.part).toBe('import-crash');
    expect(r.figures).toMatchObject({ features: 30_000, kills: 1, referenceRows: 30_000, partial: 0, retriesMatching: 1, replaysOk: 1, cleanAfterRestart: 1 });
    expect(Number(r.figures.absent) + Number(r.figures.complete)).toBe(1);
    // killed in the middle of the COPY, not before it started or after it ended
    const at = Number(String(r.figures.killedAtPercent_50).split('–')[0]);
    expect(at).toBeGreaterThanOrEqual(50);
    expect(at).toBeLessThan(100);
    expect(Number(r.figures.restartToCleanSMax)).toBeGreaterThan(0);
  }, 120_000);
});
