/**
 * Issue 10 §4 (smoke of `npm run chaos -- hostile`): the whole hostile corpus (scripts/chaos/
 * hostile-corpus*.ts: zip bombs, traversal, symlinks, XXE, billion laughs, deep JSON, formula cells,
 * bad polygons, SRID 999999, hostile GeoPackages, …) and the first 50 files of the seeded mutation
 * fuzzer through the HTTP import path of the real server process, with the network guard preloaded.
 */
import { describe, expect, it } from 'vitest';
import { hostileFiles } from '../../scripts/chaos/hostile.ts';
import { testServerUrl } from '../helpers/db.ts';

describe('chaos: hostile files through the import path (smoke)', () => {
  it('ends every job succeeded or rejected with a reason, without crash, hang, runaway memory or network', async () => {
    const r = await hostileFiles({ smoke: true, serverUrl: testServerUrl(), log: () => undefined });
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.figures.fuzzFiles).toBe(50);
    expect(Number(r.figures.files)).toBeGreaterThanOrEqual(100); // the corpus (60) + 50 fuzz files
    expect(Number(r.figures.succeeded) + Number(r.figures.rejected)).toBe(r.figures.files);
    // both outcomes occur: the corpus holds files that must load (bad polygons per feature, formula cells) and files that must not
    expect(Number(r.figures.succeeded)).toBeGreaterThan(0);
    expect(Number(r.figures.rejected)).toBeGreaterThan(0);
    expect(r.figures).toMatchObject({ failed: 0, hangs: 0, unreachable: 0, crashes: 0, networkAttempts: 0 });
    expect(Number(r.figures.maxRssMb)).toBeGreaterThan(0); // the memory of the server process was sampled
    expect(Number(r.figures.maxRssMb)).toBeLessThanOrEqual(Number(r.figures.rssBoundMb));
  }, 240_000);
});
