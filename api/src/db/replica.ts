/**
 * Reads that may be answered by a streaming replica (`DATABASE_REPLICA_URL`, issue 9 §4): vector
 * tiles and OGC API items pages only. They tolerate a little lag and never need to read their own
 * write; sign-in, edits, imports and every list a user just changed stay on the primary.
 *
 * A replica must never answer with data older than what the process already knows changed: the
 * tile cache (http/tile-cache.ts) would store a tile made from the old rows under the family's NEW
 * version and serve it until the next change. NOTIFY comes from the primary at commit, when the
 * replica may not have replayed that commit yet. So, per tile family:
 *   - a notice marks the family "unknown" at once (same tick as the tile cache's version move),
 *     and the listener's own connection is asked for the primary's `pg_current_wal_lsn()`; its
 *     answer comes after the notice, so it is at or past the commit that sent it, and becomes the
 *     family's "must have replayed" position;
 *   - a read of the family goes to the replica only when that position is known and the replica's
 *     `pg_last_wal_replay_lsn()` has reached it. The check is a statement of its own BEFORE the
 *     query (in the round trip that opens the transaction): a check inside the query's own
 *     statement would run after that statement took its snapshot, and could pass for a commit the
 *     snapshot does not hold. In READ COMMITTED the query's snapshot is taken later, so it holds
 *     everything replayed by the time of the check;
 *   - anything else (position not known yet, replica behind, replica down or failing, not a
 *     standby at all, listener lost) reads from the primary, and is counted.
 * `auth` notices (rights changed) and unknown payloads count for every family: access rules decide
 * what each query returns. An unsafe request finished by this process (`wrote`) does the same, so
 * its own write is read back from the primary even if its notice has not arrived yet.
 */
import type pg from 'pg';
import type { ChangeTarget, ListenerQuery } from './change-listener.ts';
import { type Client, type Pool, type Setting, setLocal, withTransaction } from './pool.ts';
import { contextSql } from './tenant-context.ts';
import { TILE_FAMILIES, type TileFamily } from '../http/tile-cache.ts';

export type ReadFrom = 'replica' | 'primary';

export interface ReplicaRead<T> {
  value: T;
  from: ReadFrom;
}

/** Why a read went to the primary after all. */
type Fallback = 'unknown' | 'lagging' | 'down' | 'failed' | 'notStandby';

export interface ReplicaStats {
  replica: number;
  primary: Record<Fallback, number>;
  /** answers of the listener's WAL position query (one per burst of notices) */
  positions: number;
}

/** A replica that failed to connect is left alone this long (each request would otherwise wait for it). */
const BACK_OFF_MS = 5000;

const LSN = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

export function parseLsn(text: unknown): bigint {
  const m = typeof text === 'string' ? LSN.exec(text) : null;
  if (!m) throw new Error(`not a WAL position: ${String(text)}`);
  return (BigInt(`0x${m[1] ?? '0'}`) << 32n) | BigInt(`0x${m[2] ?? '0'}`);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** The families a notice on samenhang_tiles concerns (as TileCache.changed, but `auth` counts for all). */
function familiesOf(payload: string): readonly TileFamily[] {
  return (TILE_FAMILIES as readonly string[]).includes(payload) ? [payload as TileFamily] : TILE_FAMILIES;
}

/** A lost or refused connection (no SQLSTATE, class 08, or the server shutting down/starting): back off. */
function connectionLost(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || code.startsWith('08') || code.startsWith('57P');
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class ReplicaReads implements ChangeTarget {
  private live = false;
  private query: ListenerQuery | null = null;
  /** moves on every (dis)connect of the listener: answers of an older connection are ignored */
  private generation = 0;
  private readonly required = new Map<TileFamily, bigint>();
  private readonly unknown = new Set<TileFamily>(TILE_FAMILIES);
  /** families noticed since the last WAL position query was sent */
  private waiting = new Set<TileFamily>();
  private asking = false;
  private downUntil = 0;
  /** the kind of trouble last logged: logged once, again only after the replica answered in between */
  private trouble: Fallback | 'position' | null = null;
  private readonly counts: ReplicaStats = { replica: 0, primary: { unknown: 0, lagging: 0, down: 0, failed: 0, notStandby: 0 }, positions: 0 };

  constructor(readonly pool: Pool, private readonly log: (msg: string) => void = () => undefined) {
    // an idle replica connection that is cut (replica restarted) must not take the process down
    pool.on('error', (err) => this.problem('down', `replica connection lost, reading from the primary: ${err.message}`));
  }

  /** Without `query` (no connection to ask) every family stays unknown: reads go to the primary. */
  connected(query?: ListenerQuery): void {
    this.generation++;
    this.live = true;
    this.query = query ?? null;
    this.asking = false;
    // notices may have been missed while the listener was away: every family waits for a position
    this.waiting = new Set(TILE_FAMILIES);
    for (const f of TILE_FAMILIES) this.unknown.add(f);
    this.ask();
  }

  disconnected(): void {
    this.generation++;
    this.live = false;
    this.query = null;
    this.asking = false;
    this.waiting.clear();
    for (const f of TILE_FAMILIES) this.unknown.add(f);
  }

  changed(payload: string): void {
    if (!this.live) return; // the next connect asks for a position for every family anyway
    for (const f of familiesOf(payload)) {
      this.unknown.add(f);
      this.waiting.add(f);
    }
    this.ask();
  }

  /** An unsafe request finished here: its write is committed, its notice may still be on the way. */
  wrote(): void {
    this.changed('*');
  }

  /** The family's "must have replayed" position, or null while it is not known (reads go to the primary). */
  requiredLsn(family: TileFamily): string | null {
    const lsn = this.required.get(family);
    return this.live && !this.unknown.has(family) && lsn !== undefined ? formatLsn(lsn) : null;
  }

  stats(): ReplicaStats {
    return { ...this.counts, primary: { ...this.counts.primary } };
  }

  /**
   * `fn` in a transaction with the caller's row-security context (and `setting`), on the replica
   * when it has replayed the family's last known change, else on `primary`.
   */
  async read<T>(family: TileFamily, primary: Pool, fn: (c: Client) => Promise<T>, setting?: Setting): Promise<ReplicaRead<T>> {
    const tried = this.requiredLsn(family) === null ? 'unknown' : Date.now() < this.downUntil ? 'down' : await this.onReplica(family, fn, setting);
    if (typeof tried === 'object') {
      this.counts.replica++;
      return tried;
    }
    this.counts.primary[tried]++;
    return { value: await withTransaction(primary, fn, setting), from: 'primary' };
  }

  private async onReplica<T>(family: TileFamily, fn: (c: Client) => Promise<T>, setting?: Setting): Promise<ReplicaRead<T> | Fallback> {
    let client: Client;
    try {
      client = await this.pool.connect();
    } catch (err) {
      this.downUntil = Date.now() + BACK_OFF_MS;
      this.problem('down', `replica unreachable, reading from the primary: ${message(err)}`);
      return 'down';
    }
    let broken: Error | undefined;
    try {
      // read again after connecting: a notice may have come in while we waited for the connection
      const need = this.requiredLsn(family);
      if (need === null) return 'unknown';
      const opened = (await client.query(`BEGIN; ${contextSql()}${setting ? `; ${setLocal(setting)}` : ''}; SELECT pg_last_wal_replay_lsn() >= '${need}'::pg_lsn AS ok`)) as unknown as pg.QueryResult<{ ok: boolean | null }>[];
      const ok = opened.at(-1)?.rows[0]?.ok ?? null;
      if (ok !== true) {
        await client.query('ROLLBACK');
        if (ok === null) this.problem('notStandby', 'DATABASE_REPLICA_URL is not a standby (pg_last_wal_replay_lsn() is NULL): reading from the primary');
        return ok === null ? 'notStandby' : 'lagging';
      }
      const value = await fn(client);
      await client.query('COMMIT');
      if (this.trouble !== null) this.log('reading from the replica again');
      this.trouble = null;
      return { value, from: 'replica' };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (connectionLost(err)) {
        broken = err instanceof Error ? err : new Error(String(err));
        this.downUntil = Date.now() + BACK_OFF_MS;
      }
      // e.g. a query cancelled by a conflict with recovery: this request goes to the primary
      const kind = broken ? 'down' : 'failed';
      this.problem(kind, `replica read failed, reading from the primary: ${message(err)}`);
      return kind;
    } finally {
      client.release(broken);
    }
  }

  /** Log a kind of trouble once (a stopped replica fails every request until it is back). */
  private problem(kind: Fallback | 'position', text: string): void {
    if (this.trouble === kind) return;
    this.trouble = kind;
    this.log(text);
  }

  /** One WAL position query for the families noticed since the last one; the next waits for its answer. */
  private ask(): void {
    const query = this.query;
    if (this.asking || this.waiting.size === 0 || query === null) return;
    const batch = this.waiting;
    this.waiting = new Set();
    this.asking = true;
    const generation = this.generation;
    query('SELECT pg_current_wal_lsn()::text AS lsn').then((r) => {
      if (generation !== this.generation) return;
      this.asking = false;
      const lsn = parseLsn(r.rows[0]?.lsn);
      this.counts.positions++;
      for (const f of batch) {
        const before = this.required.get(f);
        this.required.set(f, before !== undefined && before > lsn ? before : lsn);
        if (!this.waiting.has(f)) this.unknown.delete(f);
      }
      this.ask();
    }, (err: unknown) => {
      if (generation !== this.generation) return;
      this.asking = false;
      // they stay unknown (primary); the next notice asks again, a reconnect asks for all
      for (const f of batch) this.waiting.add(f);
      this.problem('position', `could not read the primary's WAL position, reading from the primary: ${message(err)}`);
    });
  }
}
