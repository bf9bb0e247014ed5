/**
 * The one LISTEN connection of an API process (a connection of its own, outside the pool) and the
 * targets it tells:
 *   samenhang_tiles  tile families and `auth` (migrations 017, 018) → tile and caller caches
 *   samenhang_jobs   import jobs that changed or wait for a worker (migration 019) → jobs/job-events.ts
 *   samenhang_walks  a walk whose hotspots changed (migration 019) → the facilitators' live feeds
 * Every API process has one, so a change committed through any process (or by the import CLI, or
 * by hand in psql) reaches all of them. When the connection is lost the targets hear so at once
 * (the caches switch off, the feeds fall back to reading the database) and the listener reconnects
 * with a growing pause (1 s … 5 s); `connected` again once LISTEN holds on every channel, which
 * tells every target that notices may have been missed in between (the caches start empty).
 * Nothing here may end the process: a database restart is an `error` + `end` on the connection, a
 * host that does not answer is cut off after 10 s (connect) or by TCP keep-alive (an open
 * connection), and a target that throws is logged and skipped (scripts/chaos/db-restart.ts).
 */
import pg from 'pg';

export const TILE_CHANNEL = 'samenhang_tiles';
export const JOB_CHANNEL = 'samenhang_jobs';
export const WALK_CHANNEL = 'samenhang_walks';

/** One query on the listener's own connection (to the primary), e.g. the WAL position right after a notice. */
export type ListenerQuery = (sql: string) => Promise<{ rows: Record<string, unknown>[] }>;

/** Something that must hear about changes: told when notices may have been missed, and when they flow again. */
export interface ChangeTarget {
  /** the channel it hears; samenhang_tiles when absent */
  readonly channel?: string;
  /**
   * LISTEN holds (again). `query` runs on the listener's connection, so its answer comes after
   * every notice already delivered on it (db/replica.ts reads the primary's WAL position with it).
   */
  connected(query?: ListenerQuery): void;
  disconnected(): void;
  /** the NOTIFY payload, e.g. a tile family, `auth`, or `*` on samenhang_tiles */
  changed(payload: string): void;
}

const channelOf = (t: ChangeTarget): string => t.channel ?? TILE_CHANNEL;

/** The longest pause between attempts to reconnect: the caches are off until the listener is back. */
export const MAX_RECONNECT_PAUSE_MS = 5000;

export interface ChangeListener {
  /** resolves once LISTEN holds (the first time) */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function listenForChanges(connectionString: string, targets: readonly ChangeTarget[], log: (msg: string) => void = () => undefined): ChangeListener {
  const channels = [...new Set(targets.map(channelOf))];
  // identifiers cannot be bound parameters: only plain names are ever LISTENed to
  for (const c of channels) if (!/^[a-z_][a-z0-9_]*$/.test(c)) throw new Error(`invalid channel name ${c}`);
  let client: pg.Client | null = null;
  let closed = false;
  let pause = 1000;
  let timer: NodeJS.Timeout | null = null;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  // one target that throws must not keep the others from hearing, nor end the process
  const tell = (what: string, fn: (t: ChangeTarget) => void) => {
    for (const t of targets) {
      try {
        fn(t);
      } catch (err) {
        log(`change listener: a target failed on ${what}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };

  const lost = (c: pg.Client, why: string) => {
    if (client !== c) return;
    client = null;
    tell('disconnect', (t) => t.disconnected());
    c.end().catch(() => undefined);
    if (closed) return;
    log(`caches off, live feeds polling: change listener lost (${why}); reconnecting in ${pause} ms`);
    timer = setTimeout(connect, pause);
    timer.unref(); // a listener waiting to reconnect never keeps the process alive
    pause = Math.min(pause * 2, MAX_RECONNECT_PAUSE_MS);
  };

  const connect = () => {
    timer = null;
    if (closed) return;
    const c = new pg.Client({
      connectionString, application_name: 'samenhang-changes', connectionTimeoutMillis: 10_000, keepAlive: true, keepAliveInitialDelayMillis: 10_000,
    });
    client = c;
    c.on('error', (err) => lost(c, err.message));
    c.on('end', () => lost(c, 'connection ended'));
    c.on('notification', (n) => {
      tell(`notice on ${n.channel}`, (t) => (channelOf(t) === n.channel ? t.changed(n.payload ?? '*') : undefined));
    });
    c.connect()
      .then(() => c.query(channels.map((ch) => `LISTEN ${ch}`).join('; ')))
      .then(() => {
        if (client !== c) return;
        pause = 1000;
        const query: ListenerQuery = (sql) => c.query<Record<string, unknown>>(sql);
        tell('connect', (t) => t.connected(query));
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
      tell('close', (t) => t.disconnected());
      await c?.end().catch(() => undefined);
    },
  };
}
