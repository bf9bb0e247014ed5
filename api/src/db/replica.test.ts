import { describe, expect, it } from 'vitest';
import type { Pool } from './pool.ts';
import { ReplicaReads, formatLsn, parseLsn } from './replica.ts';

/** A listener query whose answers the test hands out one by one, in order. */
function manualQuery() {
  const pending: ((lsn: string) => void)[] = [];
  const query = (sql: string) => {
    expect(sql).toMatch(/pg_current_wal_lsn/);
    return new Promise<{ rows: Record<string, unknown>[] }>((resolve) => pending.push((lsn) => resolve({ rows: [{ lsn }] })));
  };
  const answer = async (lsn: string) => {
    pending.shift()?.(lsn);
    await new Promise((r) => setImmediate(r));
  };
  return { query, answer, asked: () => pending.length };
}

const fakePool = { on: () => undefined } as unknown as Pool;

describe('replica reads: what the replica must have replayed', () => {
  it('parses and prints WAL positions', () => {
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(formatLsn(parseLsn('0/1A2B'))).toBe('0/1A2B');
    expect(() => parseLsn('nonsense')).toThrow();
  });

  it('knows nothing until the first position after connecting', async () => {
    const r = new ReplicaReads(fakePool);
    expect(r.requiredLsn('assets')).toBeNull();
    const q = manualQuery();
    r.connected(q.query);
    expect(r.requiredLsn('assets')).toBeNull();
    await q.answer('0/100');
    expect(r.requiredLsn('assets')).toBe('0/100');
    expect(r.requiredLsn('gemeenten')).toBe('0/100');
  });

  it('a notice makes its family unknown at once, until the position asked AFTER it comes back', async () => {
    const r = new ReplicaReads(fakePool);
    const q = manualQuery();
    r.connected(q.query);
    await q.answer('0/100');
    r.changed('works');
    expect(r.requiredLsn('works')).toBeNull();
    expect(r.requiredLsn('assets')).toBe('0/100'); // other families keep theirs
    r.changed('works'); // while the first question is out: it cannot cover this notice
    expect(q.asked()).toBe(1);
    await q.answer('0/200');
    expect(r.requiredLsn('works')).toBeNull();
    expect(q.asked()).toBe(1); // the second question went out after the first answer
    await q.answer('0/300');
    expect(r.requiredLsn('works')).toBe('0/300');
  });

  it('`auth`, `*` and a write through this process concern every family; a lost listener forgets all', async () => {
    const r = new ReplicaReads(fakePool);
    const q = manualQuery();
    r.connected(q.query);
    await q.answer('0/100');
    for (const payload of ['auth', '*']) {
      r.changed(payload);
      expect(r.requiredLsn('assets')).toBeNull();
      expect(r.requiredLsn('moratoria')).toBeNull();
      await q.answer('0/200');
      expect(r.requiredLsn('moratoria')).toBe('0/200');
    }
    r.wrote();
    expect(r.requiredLsn('gemeenten')).toBeNull();
    await q.answer('0/250');
    r.disconnected();
    expect(r.requiredLsn('assets')).toBeNull();
    r.changed('assets'); // heard nothing while away, asks nothing
    expect(q.asked()).toBe(0);
  });
});
