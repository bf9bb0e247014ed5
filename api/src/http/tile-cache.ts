/**
 * Vector tiles kept in memory (issue 9), so a tile seen before is answered without SQL.
 *
 * An entry is keyed on the layer, the tile and the caller's access scope (the policy parameters:
 * partner or not, organisation, project areas, shares: two callers with the same scope may read
 * exactly the same rows), and stamped with its layer family's version. A family's version moves
 * when PostgreSQL says its data changed (NOTIFY samenhang_tiles, migration 017, received by
 * db/change-listener.ts); an entry of an older version is never served. The version is taken BEFORE the
 * tile's query: a change committed while the query ran moves it, and the tile (maybe older than
 * the change) is then stored under the old version, where nobody finds it.
 *
 * Without a live LISTEN connection the cache does not know about changes: it is off (every tile
 * from SQL) until the listener is back, and then starts empty.
 */
import { createHash } from 'node:crypto';
import { policyParams } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';
import type { ChangeTarget } from '../db/change-listener.ts';

export const TILE_FAMILIES = ['assets', 'works', 'moratoria', 'gemeenten'] as const;
export type TileFamily = (typeof TILE_FAMILIES)[number];

export interface CachedTile {
  bytes: Buffer;
  etag: string;
}

interface Entry extends CachedTile {
  version: number;
  size: number;
}

/** Bookkeeping per entry besides its bytes (key, object, map slot), counted against the budget. */
const ENTRY_OVERHEAD = 200;

export interface TileCacheStats {
  enabled: boolean;
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  invalidations: number;
}

export class TileCache implements ChangeTarget {
  private readonly entries = new Map<string, Entry>();
  private readonly versions = new Map<TileFamily, number>(TILE_FAMILIES.map((f) => [f, 0]));
  private readonly scopes = new WeakMap<Principal, string>();
  private bytes = 0;
  private live = false;
  private hits = 0;
  private misses = 0;
  private invalidations = 0;

  constructor(readonly maxBytes: number) {
    if (!Number.isFinite(maxBytes) || maxBytes < 0) throw new Error(`tile cache size must be a non-negative number of bytes, not ${maxBytes}`);
  }

  /** Whether tiles may be served from and stored in the cache (the listener is connected). */
  get enabled(): boolean {
    return this.live && this.maxBytes > 0;
  }

  /** The listener connected (again): whatever happened while it was away is unknown, so start empty. */
  connected(): void {
    this.clear();
    this.live = true;
  }

  /** The listener lost its connection: changes can no longer be seen. */
  disconnected(): void {
    this.live = false;
    this.clear();
  }

  /** A NOTIFY payload: one family, or `*` for all of them; `auth` is not about tiles; anything else counts as `*`. */
  changed(payload: string): void {
    if (payload === 'auth') return;
    this.invalidations++;
    const families = (TILE_FAMILIES as readonly string[]).includes(payload) ? [payload as TileFamily] : TILE_FAMILIES;
    for (const f of families) this.versions.set(f, (this.versions.get(f) ?? 0) + 1);
  }

  version(family: TileFamily): number {
    return this.versions.get(family) ?? 0;
  }

  /** What separates callers who may see different rows of a non-public layer ('' for public layers). */
  scopeOf(p: Principal, isPublic: boolean): string {
    if (isPublic) return '';
    let scope = this.scopes.get(p);
    if (scope === undefined) {
      scope = createHash('sha256').update(JSON.stringify(policyParams(p))).digest('base64url');
      this.scopes.set(p, scope);
    }
    return scope;
  }

  static key(layer: string, z: number, x: number, y: number, scope: string): string {
    return `${layer}/${z}/${x}/${y}/${scope}`;
  }

  get(key: string, family: TileFamily): CachedTile | null {
    if (!this.enabled) return null;
    const e = this.entries.get(key);
    if (e === undefined || e.version !== this.version(family)) {
      if (e !== undefined) this.drop(key, e);
      this.misses++;
      return null;
    }
    // most recently used last: Map keeps insertion order
    this.entries.delete(key);
    this.entries.set(key, e);
    this.hits++;
    return e;
  }

  /** Store a tile made from data of `version` (taken before its query); ignored when that is no longer current. */
  set(key: string, family: TileFamily, version: number, tile: CachedTile): void {
    if (!this.enabled || version !== this.version(family)) return;
    const size = tile.bytes.length + key.length + ENTRY_OVERHEAD;
    if (size > this.maxBytes / 4) return; // one tile never takes a large share of the budget
    const old = this.entries.get(key);
    if (old !== undefined) this.drop(key, old);
    this.entries.set(key, { ...tile, version, size });
    this.bytes += size;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(k, e);
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  stats(): TileCacheStats {
    return {
      enabled: this.enabled, entries: this.entries.size, bytes: this.bytes, maxBytes: this.maxBytes,
      hits: this.hits, misses: this.misses, invalidations: this.invalidations,
    };
  }

  private drop(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.size;
  }
}
