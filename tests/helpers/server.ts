import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { type AppDeps, createApp, defaultUploadDir, newInstanceId } from '../../api/src/http/app.ts';
import type { Pool } from '../../api/src/db/pool.ts';
import { createAppPool, tenantPool } from '../../api/src/db/tenant-context.ts';
import { TileCache } from '../../api/src/http/tile-cache.ts';
import { listenForChanges } from '../../api/src/db/change-listener.ts';
import { PrincipalCache } from '../../api/src/auth/principal-cache.ts';
import { ImportJobs } from '../../api/src/jobs/import-jobs.ts';
import { walkEvents } from '../../api/src/walks/live.ts';

export interface TestServer {
  baseUrl: string;
  errors: string[];
  /** notices this server's listener has handed on so far (samenhang_tiles payloads: a family, `auth`, `*`) */
  noticesSeen(payload: string): number;
  /**
   * Wait until the listener has handed on more `payload` notices than `before` (a change made by the
   * test's own pool reaches the server's caches through NOTIFY, asynchronously; see decision 80).
   */
  waitForNotice(payload: string, before: number, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** The real Express app on an ephemeral loopback port (API only, no web client). */
/**
 * The server gets its own pool acting as samenhang_app, as `npm start`'s server does, so row-level
 * security applies to it while the test's own pool (the owner) sets up fixtures.
 */
export async function startTestServer(
  pool: Pool, webDist: string | null = null, log: (msg: string) => void = () => undefined, extra: Partial<AppDeps> = {},
): Promise<TestServer> {
  const errors: string[] = [];
  const url = (pool as unknown as { options: { connectionString: string } }).options.connectionString;
  const appPool = createAppPool(url, 5);
  // DROP DATABASE ... WITH (FORCE) at the end of a file terminates what is still connected: expected
  appPool.on('error', (err: Error & { code?: string }) => {
    if (err.code !== '57P01') throw err;
  });
  // the caches are on as in `npm start` (pass tileCache / principalCache: null to test without them)
  const tileCache = extra.tileCache === undefined ? new TileCache(64 * 1024 * 1024) : extra.tileCache;
  const principalCache = extra.principalCache === undefined ? new PrincipalCache() : extra.principalCache;
  // import jobs and walk feeds as `npm start` wires them: in PostgreSQL, heard through the listener.
  // The jobs' worker uses the helper's own pool, so its beats never show in a pool a test passes (and counts).
  const instance = extra.instance ?? newInstanceId();
  const jobs = extra.jobs ?? new ImportJobs({
    pool: tenantPool(appPool), srid: 28992, uploadDir: extra.uploadDir ?? defaultUploadDir(), instance, log: (m) => errors.push(m),
  });
  const walks = extra.walkEvents ?? walkEvents();
  // a replica's reads (extra.replica) hear the same notices to know what it must have replayed
  // last in the list: when it has seen a notice, every cache before it has acted on that notice
  const seen = new Map<string, number>();
  const counter = { connected: () => undefined, disconnected: () => undefined, changed: (payload: string) => void seen.set(payload, (seen.get(payload) ?? 0) + 1) };
  const targets = [tileCache, principalCache, jobs.events, walks.notices, extra.replica ?? null, counter].filter((t) => t !== null);
  const changes = listenForChanges(url, targets);
  await changes.ready;
  if (extra.jobs === undefined) jobs.startWorker();
  const app = createApp({
    pool: appPool, workingSrid: 28992, basemap: null, webDist, logError: (m) => errors.push(m), log, instance, ...extra, jobs, walkEvents: walks, tileCache, principalCache,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    errors,
    noticesSeen: (payload) => seen.get(payload) ?? 0,
    waitForNotice: async (payload, before, ms = 10_000) => {
      const end = Date.now() + ms;
      while ((seen.get(payload) ?? 0) <= before) {
        if (Date.now() > end) throw new Error(`no '${payload}' notice reached the test server within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    close: async () => {
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
      if (extra.jobs === undefined) await jobs.close();
      await changes.close();
      await appPool.end();
    },
  };
}
