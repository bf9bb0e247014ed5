/**
 * The 30 s smoke of the soak (issue 10 §5; `npm run soak -- --smoke`): 200 tiles/s + 20 API
 * requests/s against the real server process on a fresh demo database, a 5 s spike at 5× (429/503
 * allowed, any other status fails), then the health check and 5 s at 1×. Fails on any error at 1×,
 * on a rate more than 10 % off its target, and on a server that did not survive the spike. The
 * full 15-minute run is `npm run soak`.
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../scripts/soak/run.ts';
import { table } from '../../scripts/soak/report.ts';
import { testServerUrl } from '../helpers/db.ts';

describe('soak smoke', () => {
  it('serves 200 tiles/s and 20 API requests/s for 30 s without an error, and survives a spike at 5×', async () => {
    const r = await runSoak({ serverUrl: testServerUrl(), smoke: true, minutes: 0.5, log: () => undefined });
    const shown = `${table(r.phases)}\n${[...r.failures, ...r.warnings].join('\n')}`;
    expect(r.serverAlive, shown).toBe(true);
    const soak = r.phases.filter((p) => p.phase === 'soak');
    expect(soak.map((p) => p.class).sort()).toEqual(['api', 'tiles']);
    for (const p of [...soak, ...r.phases.filter((q) => q.phase === 'recovery')]) {
      expect(p.errors, `${p.phase} ${p.class}\n${shown}`).toBe(0);
      expect(Math.abs(p.achievedRate - p.targetRate) / p.targetRate, `${p.phase} ${p.class} rate\n${shown}`).toBeLessThanOrEqual(0.1);
      expect(p.answered, `${p.phase} ${p.class}: every request answered`).toBe(p.requests);
      expect(p.p99Ms, `${p.phase} ${p.class} p99`).toBeGreaterThan(0);
      expect(p.p95Ms).toBeLessThanOrEqual(p.p99Ms);
    }
    // in the spike only 429/503 may replace a normal answer (timeouts and refused connections are
    // counted in r.warnings); the server must then be healthy and serve the recovery phase cleanly
    const spike = r.phases.filter((q) => q.phase === 'spike');
    expect(spike.length).toBe(2);
    for (const p of spike) expect(p.httpErrors, `spike ${p.class}\n${shown}`).toBe(0);
    expect(r.healthAfterSpikeS, shown).not.toBeNull();
    expect(r.edits, 'PATCHes of a work with If-Match during the soak').toBeGreaterThan(0);
    expect(r.rss.startMb).toBeGreaterThan(0);
    expect(r.ok, shown).toBe(true);
  }, 150_000);
});
