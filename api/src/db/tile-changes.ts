/**
 * LISTEN samenhang_tiles on a connection of its own (migration 017 sends the notices) and tell the
 * tile cache. Every API process has one, so a change committed through any process (or by the
 * import CLI, or by hand in psql) reaches every cache. When the connection is lost the cache is
 * switched off at once and the listener reconnects with a growing pause (1 s … 15 s); the
 * cache comes back empty once LISTEN holds again.
 */
import pg from 'pg';
import type { TileCache } from '../http/tile-cache.ts';

export const TILE_CHANNEL = 'samenhang_tiles';

export interface TileChangeListener {
  /** resolves once LISTEN holds (the first time) */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function listenForTileChanges(connectionString: string, cache: TileCache, log: (msg: string) => void = () => undefined): TileChangeListener {
  let client: pg.Client | null = null;
  let closed = false;
  let pause = 1000;
  let timer: NodeJS.Timeout | null = null;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const lost = (c: pg.Client, why: string) => {
    if (client !== c) return;
    client = null;
    cache.disconnected();
    c.end().catch(() => undefined);
    if (closed) return;
    log(`tile cache off: change listener lost (${why}); reconnecting in ${pause} ms`);
    timer = setTimeout(connect, pause);
    timer.unref(); // a listener waiting to reconnect never keeps the process alive
    pause = Math.min(pause * 2, 15_000);
  };

  const connect = () => {
    timer = null;
    if (closed) return;
    const c = new pg.Client({ connectionString, application_name: 'samenhang-tile-changes' });
    client = c;
    c.on('error', (err) => lost(c, err.message));
    c.on('end', () => lost(c, 'connection ended'));
    c.on('notification', (n) => {
      if (n.channel === TILE_CHANNEL) cache.changed(n.payload ?? '*');
    });
    c.connect()
      .then(() => c.query(`LISTEN ${TILE_CHANNEL}`))
      .then(() => {
        if (client !== c) return;
        pause = 1000;
        cache.connected();
        markReady();
      })
      .catch((err: unknown) => lost(c, err instanceof Error ? err.message : String(err)));
  };

  connect();
  return {
    ready,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      cache.disconnected();
      await c?.end().catch(() => undefined);
    },
  };
}
