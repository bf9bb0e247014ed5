/**
 * Issue 10 §3 (smoke of `npm run chaos -- concurrent-edits`): 50 concurrent PATCHes of one work
 * with random, mostly stale If-Match versions, against the real server process on a database of
 * its own on the test server; three rounds.
 */
import { describe, expect, it } from 'vitest';
import { concurrentEdits } from '../../scripts/chaos/concurrent-edits.ts';
import { testServerUrl } from '../helpers/db.ts';

describe('chaos: concurrent edits of one work (smoke)', () => {
  it('counts one version per success, answers every other writer 412, and loses no update', async () => {
    const r = await concurrentEdits({ smoke: true, serverUrl: testServerUrl(), log: () => undefined });
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.figures.rounds).toBe(3);
    expect(r.figures.successes).toBe(r.figures.versionIncrements);
    expect(r.figures.successes).toBeGreaterThanOrEqual(3); // each round's first volley has at least one current version
    expect(r.figures.stale412).toBe(Number(r.figures.patches) - Number(r.figures.successes));
    expect(r.figures.lostUpdates).toBe(0);
  }, 180_000);
});
