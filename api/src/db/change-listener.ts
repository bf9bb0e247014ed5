/**
 * LISTEN samenhang_tiles on a connection of its own (migrations 017 and 018 send the notices) and
 * tell the in-memory caches (tiles, signed-in callers). Every API process has one, so a change
 * committed through any process (or by the import CLI, or by hand in psql) reaches every cache.
 * When the connection is lost the caches are switched off at once and the listener reconnects
 * with a growing pause (1 s … 15 s); they come back empty once LISTEN holds again.
 */
import pg from 'pg';

export const TILE_CHANNEL = 'samenhang_tiles';

/** A cache that must hear about changes: off while nobody listens, emptied on reconnect. */
export interface ChangeTarget {
  connected(): void;
  disconnected(): void;
  /** the NOTIFY payload: a tile family, `auth`, or `*` */
  changed(payload: string): void;
}

export interface ChangeListener {
  /** resolves once LISTEN holds (the first time) */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function listenForChanges(connectionString: string, targets: readonly ChangeTarget[], log: (msg: string) => void = () => undefined): ChangeListener {
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
    for (const t of targets) t.disconnected();
    c.end().catch(() => undefined);
    if (closed) return;
    log(`caches off: change listener lost (${why}); reconnecting in ${pause} ms`);
    timer = setTimeout(connect, pause);
    timer.unref(); // a listener waiting to reconnect never keeps the process alive
    pause = Math.min(pause * 2, 15_000);
  };

  const connect = () => {
    timer = null;
    if (closed) return;
    const c = new pg.Client({ connectionString, application_name: 'samenhang-changes' });
    client = c;
    c.on('error', (err) => lost(c, err.message));
    c.on('end', () => lost(c, 'connection ended'));
    c.on('notification', (n) => {
      if (n.channel === TILE_CHANNEL) for (const t of targets) t.changed(n.payload ?? '*');
    });
    c.connect()
      .then(() => c.query(`LISTEN ${TILE_CHANNEL}`))
      .then(() => {
        if (client !== c) return;
        pause = 1000;
        for (const t of targets) t.connected();
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
      for (const t of targets) t.disconnected();
      await c?.end().catch(() => undefined);
    },
  };
}
