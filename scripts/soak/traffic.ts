/**
 * What the soak asks for: vector tiles of the demo area at z12–z17 as a map viewer pans and zooms
 * (a few hot tiles of the opening view, many tiles over the data, and pans over the rest of the
 * municipality, most of them empty), signed in, so every tile goes through the access policy; and
 * the API calls of the same users (works list, layers, OGC items pages with a bbox, search, one
 * work, the session) with a PATCH of a work with If-Match every few seconds.
 */
import type { RequestSpec } from './load.ts';
/** the product's seeded generator: the same run asks for the same tiles */
export { mulberry32 as seeded } from '../../api/src/model/prng.ts';

/** west, south, east, north in WGS84 */
export type Bbox = readonly [number, number, number, number];

export interface DemoArea {
  /** the extent of the demo data (the KLIC deliveries) */
  data: Bbox;
  /** the extent of the municipality around it */
  municipality: Bbox;
}

export interface Session {
  email: string;
  cookie: string;
  csrf: string;
}

export type Tile = readonly [number, number, number];

const pick = <T>(items: readonly T[], rand: () => number): T => {
  if (items.length === 0) throw new Error('nothing to pick from');
  return items[Math.floor(rand() * items.length)] as T;
};

const tileX = (lon: number, z: number): number => Math.floor(((lon + 180) / 360) * 2 ** z);
const tileY = (lat: number, z: number): number => {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};

/** Every tile of the zoom levels that touches the box. */
export function tilesOver(b: Bbox, zooms: readonly number[]): Tile[] {
  const out: Tile[] = [];
  for (const z of zooms) {
    for (let x = tileX(b[0], z); x <= tileX(b[2], z); x++) {
      for (let y = tileY(b[3], z); y <= tileY(b[1], z); y++) out.push([z, x, y]);
    }
  }
  return out;
}

export const grow = (b: Bbox, d: number): Bbox => [b[0] - d, b[1] - d, b[2] + d, b[3] + d];

export interface TilePools {
  /** the opening view: z13 and z14 over the data, asked again and again */
  hot: Tile[];
  /** z12–z17 over the data and a margin around it */
  data: Tile[];
  /** z13–z17 over the whole municipality: mostly empty tiles, mostly first asked */
  pan: Tile[];
}

export function tilePools(area: DemoArea): TilePools {
  return {
    hot: tilesOver(area.data, [13, 14]),
    data: tilesOver(grow(area.data, 0.004), [12, 13, 14, 15, 16, 17]),
    pan: tilesOver(area.municipality, [13, 14, 15, 16, 17]),
  };
}

const cookieHeaders = (s: Session): Record<string, string> => ({ cookie: s.cookie });

/** 20 % hot, 65 % over the data, 15 % pans; every layer alike; 80 % as `main`, 20 % as `other`. */
export function tileMix(pools: TilePools, layers: readonly string[], main: Session, other: Session, rand: () => number): () => RequestSpec {
  return () => {
    const r = rand();
    const pool = r < 0.2 ? pools.hot : r < 0.85 ? pools.data : pools.pan;
    const [z, x, y] = pick(pool, rand);
    const who = rand() < 0.8 ? main : other;
    return { kind: 'tile', path: `/tiles/${pick(layers, rand)}/${z}/${x}/${y}.mvt`, headers: cookieHeaders(who) };
  };
}

export interface ApiMixOptions {
  area: DemoArea;
  /** OGC collections with items the reader may see */
  collections: readonly string[];
  workIds: readonly number[];
  searchTerms: readonly string[];
  reader: Session;
  /** the work that is edited, as whom, and its ETag of the moment */
  edit: { session: Session; workId: number; etag: string };
  patchEveryMs: number;
}

export interface ApiMix {
  next: () => RequestSpec;
  /** PATCHes answered 200 */
  edits: () => number;
}

function itemsPath(o: ApiMixOptions, rand: () => number): string {
  const [w, s, e, n] = o.area.data;
  const size = 0.002 + rand() * 0.004;
  const x = w + rand() * Math.max(e - w - size, 0);
  const y = s + rand() * Math.max(n - s - size, 0);
  const bbox = [x, y, x + size, y + size].map((v) => v.toFixed(6)).join(',');
  return `/ogc/collections/${encodeURIComponent(pick(o.collections, rand))}/items?f=json&limit=100&bbox=${bbox}`;
}

/**
 * Reads by weight (works list 15 %, layers 10 %, items 25 %, search 15 %, one work 10 %, session
 * 10 %, health 10 %, TileJSON 5 %), and one PATCH whenever `patchEveryMs` has passed and the
 * previous one is answered (never two at once: each names the ETag the last one returned).
 */
export function apiMix(o: ApiMixOptions, layers: readonly string[], rand: () => number): ApiMix {
  let lastPatch = 0;
  let pending = false;
  let edits = 0;
  let n = 0;
  const read = cookieHeaders(o.reader);
  const patch = (): RequestSpec => {
    pending = true;
    lastPatch = Date.now();
    n++;
    return {
      kind: 'patch', method: 'PATCH', path: `/api/works/${o.edit.workId}`,
      headers: { ...cookieHeaders(o.edit.session), 'x-csrf-token': o.edit.session.csrf, 'if-match': o.edit.etag },
      body: JSON.stringify({ contact: `soak edit ${n}` }),
      onAnswer: (status, headers) => {
        pending = false;
        // only these name the work's version (Express puts a weak ETag of the body on any other answer, a 503 too)
        if ((status === 200 || status === 412) && typeof headers.etag === 'string') o.edit.etag = headers.etag;
        if (status === 200) edits++;
      },
      onError: () => (pending = false),
    };
  };
  const next = (): RequestSpec => {
    if (!pending && Date.now() - lastPatch >= o.patchEveryMs) return patch();
    const r = rand();
    if (r < 0.15) return { kind: 'works', path: '/api/works', headers: read };
    if (r < 0.25) return { kind: 'layers', path: '/api/layers', headers: read };
    if (r < 0.5) return { kind: 'items', path: itemsPath(o, rand), headers: read };
    if (r < 0.65) return { kind: 'search', path: `/api/search?q=${encodeURIComponent(pick(o.searchTerms, rand))}`, headers: read };
    if (r < 0.75) return { kind: 'work', path: `/api/works/${pick(o.workIds, rand)}`, headers: read };
    if (r < 0.85) return { kind: 'me', path: '/api/auth/me', headers: read };
    if (r < 0.95) return { kind: 'health', path: '/api/health' };
    return { kind: 'tilejson', path: `/tiles/${pick(layers, rand)}.json`, headers: read };
  };
  return { next, edits: () => edits };
}
