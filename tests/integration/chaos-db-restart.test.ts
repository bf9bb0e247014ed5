/**
 * Issue 10 §2 (smoke of `npm run chaos -- db-restart`): PostgreSQL restarted under 50 clients of
 * the real server process, in a throwaway cluster of its own (scripts/chaos/cluster.ts), never
 * the shared test server. Plus the piece that kept the process alive: a pooled client whose
 * connection dies while it is checked out must not raise an unheard 'error'.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ChangeTarget, type ListenerQuery, listenForChanges } from '../../api/src/db/change-listener.ts';
import { createPool, withTransaction } from '../../api/src/db/pool.ts';
import { isDatabaseUnavailable } from '../../api/src/db/unavailable.ts';
import { dbRestart } from '../../scripts/chaos/db-restart.ts';
import { testServerUrl } from '../helpers/db.ts';

describe('chaos: database restart under load (smoke)', () => {
  it('survives a checked-out client whose connection is terminated, and says the database is unavailable', async () => {
    const pool = createPool(testServerUrl(), 2);
    const other = createPool(testServerUrl(), 1);
    try {
      const err = await withTransaction(pool, async (c) => {
        const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
        // terminated between two statements of the transaction: the client hears it as an 'error' event
        await other.query('SELECT pg_terminate_backend($1)', [pid]);
        await new Promise((r) => setTimeout(r, 300));
        return c.query('SELECT 1').then(() => null, (e: unknown) => e);
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(err)).toBe(true);
      // the pool dropped the dead client and goes on
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    } finally {
      await Promise.all([pool.end(), other.end()]);
    }
  });

  it('reconnects its LISTEN connection after losing it, tells every target, and survives a target that throws', async () => {
    const heard: string[] = [];
    let query: ListenerQuery | undefined;
    const recorder: ChangeTarget = {
      channel: 'chaos_listener_test',
      connected: (q) => {
        query = q;
        heard.push('connected');
      },
      disconnected: () => heard.push('disconnected'),
      changed: (payload) => heard.push(`changed ${payload}`),
    };
    const broken: ChangeTarget = {
      channel: 'chaos_listener_test',
      connected: () => { throw new Error('a broken target'); },
      disconnected: () => { throw new Error('a broken target'); },
      changed: () => { throw new Error('a broken target'); },
    };
    const logged: string[] = [];
    const listener = listenForChanges(testServerUrl(), [broken, recorder], (m) => logged.push(m));
    const admin = createPool(testServerUrl(), 1);
    const until = async (what: () => boolean) => {
      for (let i = 0; i < 100 && !what(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(what()).toBe(true);
    };
    try {
      await listener.ready;
      const pid = (await query?.('SELECT pg_backend_pid() AS pid'))?.rows[0]?.pid;
      expect(typeof pid).toBe('number');
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // the connection is gone: every target hears so, and again once LISTEN holds on a new one
      await until(() => heard.filter((h) => h === 'connected').length === 2);
      expect(heard.slice(0, 3)).toEqual(['connected', 'disconnected', 'connected']);
      await admin.query("SELECT pg_notify('chaos_listener_test', 'after')");
      await until(() => heard.includes('changed after'));
      expect(logged.some((m) => m.includes('a broken target'))).toBe(true);
    } finally {
      await listener.close();
      await admin.end();
    }
  });

  it('answers 503 with Retry-After while PostgreSQL restarts, recovers, and loses no acknowledged edit', async (ctx) => {
    if (!existsSync('/usr/lib/postgresql')) ctx.skip(); // needs the server binaries for a cluster of its own
    const r = await dbRestart({ smoke: true, serverUrl: testServerUrl(), log: () => undefined });
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    // the outage happened and was answered, and edits went through around it
    expect(r.figures.unavailable503).toBeGreaterThan(0);
    expect(r.figures.connectionResets).toBe(0);
    expect(r.figures.otherErrors).toBe(0);
    expect(r.figures.acknowledgedEdits).toBeGreaterThan(50);
    expect(r.figures.lostEdits).toBe(0);
    expect(r.figures.maxTileRecoverySeconds).toBeLessThanOrEqual(30);
    expect(r.figures.maxEditRecoverySeconds).toBeLessThanOrEqual(30);
  }, 240_000);
});
