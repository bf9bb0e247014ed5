/**
 * The area report's map (issue 8): how RD New metres land on the page. One affine fit maps the
 * map's extent into an SVG frame (uniform scale, centred, y flipped: north is up). PostGIS draws
 * the geometry straight in page units with `ST_AsSVG(ST_Affine(…))` (svgPathSql), TypeScript
 * places the markers, the scale bar and the north arrow with the same numbers (project), so both
 * agree by construction. Pure: unit-tested in map-fit.test.ts.
 */

export interface Extent { minx: number; miny: number; maxx: number; maxy: number }

/** page x = x·scale + tx, page y = ty − y·scale (SVG's y runs down). */
export interface Fit { scale: number; tx: number; ty: number; width: number; height: number }

/** The extent grown by `ratio` of its size on every side and to at least `minSize` metres wide and high (centred). */
export function padExtent(e: Extent, ratio: number, minSize: number): Extent {
  const w = Math.max(e.maxx - e.minx, 0);
  const h = Math.max(e.maxy - e.miny, 0);
  const cx = (e.minx + e.maxx) / 2;
  const cy = (e.miny + e.maxy) / 2;
  const half = (size: number) => Math.max(size * (1 + 2 * ratio), minSize) / 2;
  return { minx: cx - half(w), maxx: cx + half(w), miny: cy - half(h), maxy: cy + half(h) };
}

/** The smallest extent holding all of them; null for none. */
export function unionExtent(extents: readonly (Extent | null | undefined)[]): Extent | null {
  const list = extents.filter((e): e is Extent => e !== null && e !== undefined && [e.minx, e.miny, e.maxx, e.maxy].every(Number.isFinite));
  if (list.length === 0) return null;
  return {
    minx: Math.min(...list.map((e) => e.minx)), miny: Math.min(...list.map((e) => e.miny)),
    maxx: Math.max(...list.map((e) => e.maxx)), maxy: Math.max(...list.map((e) => e.maxy)),
  };
}

/**
 * Group boxes that lie within `gap` metres of each other (single linkage) into one box each: the
 * separate places of an area that each get a detail map. Sorted north to south, then west to east.
 */
export function clusterExtents(extents: readonly Extent[], gap: number): Extent[] {
  let groups = extents.filter((e) => [e.minx, e.miny, e.maxx, e.maxy].every(Number.isFinite)).map((e) => ({ ...e }));
  const near = (a: Extent, b: Extent) => a.minx - gap <= b.maxx && b.minx - gap <= a.maxx && a.miny - gap <= b.maxy && b.miny - gap <= a.maxy;
  for (let merged = true; merged;) {
    merged = false;
    const next: Extent[] = [];
    for (const e of groups) {
      const hit = next.find((n) => near(n, e));
      if (hit) {
        Object.assign(hit, unionExtent([hit, e]));
        merged = true;
      } else next.push(e);
    }
    groups = next;
  }
  return groups.sort((a, b) => b.maxy - a.maxy || a.minx - b.minx);
}

/** Fit the extent into a width × height frame with `margin` page units free on every side: same scale on both axes, centred. */
export function fitExtent(e: Extent, width: number, height: number, margin = 0): Fit {
  const w = Math.max(e.maxx - e.minx, 1e-9);
  const h = Math.max(e.maxy - e.miny, 1e-9);
  const scale = Math.min((width - 2 * margin) / w, (height - 2 * margin) / h);
  const tx = width / 2 - ((e.minx + e.maxx) / 2) * scale;
  const ty = height / 2 + ((e.miny + e.maxy) / 2) * scale;
  return { scale, tx, ty, width, height };
}

/** A frame `width` wide whose height follows the extent's shape, within [minHeight, maxHeight]. */
export function frameHeight(e: Extent, width: number, minHeight: number, maxHeight: number): number {
  const ratio = (e.maxy - e.miny) / Math.max(e.maxx - e.minx, 1e-9);
  return Math.round(Math.min(Math.max(width * ratio, minHeight), maxHeight));
}

export function project(fit: Fit, x: number, y: number): [number, number] {
  return [x * fit.scale + fit.tx, fit.ty - y * fit.scale];
}

/** The extent the frame shows (its corners back in metres). */
export function frameExtent(fit: Fit): Extent {
  return { minx: -fit.tx / fit.scale, maxx: (fit.width - fit.tx) / fit.scale, miny: (fit.ty - fit.height) / fit.scale, maxy: fit.ty / fit.scale };
}

/**
 * SQL: a geometry expression as SVG path data in page units, simplified to a tenth of a page unit
 * and with one decimal. The fit's scale, tx, ty are the parameters $first..$first+2. ST_AsSVG
 * writes −y, so the geometry is first mapped to (x·s + tx, y·s − ty).
 */
export function svgPathSql(geom: string, first: number): string {
  const [s, tx, ty] = [first, first + 1, first + 2].map((i) => `$${i}::float8`);
  return `ST_AsSVG(ST_Affine(ST_Simplify(${geom}, 0.1 / ${s}), ${s}, 0, 0, ${s}, ${tx}, -${ty}), 0, 1)`;
}

export const fitParams = (fit: Fit): number[] => [fit.scale, fit.tx, fit.ty];

/** A round length (1, 2 or 5 × 10^n metres) whose bar is at most `maxPage` page units long. */
export function scaleBarMetres(fit: Fit, maxPage: number): number {
  const maxMetres = maxPage / fit.scale;
  const power = 10 ** Math.floor(Math.log10(maxMetres));
  const step = [5, 2, 1].find((m) => m * power <= maxMetres) ?? 1;
  return step * power;
}

export const metresLabel = (m: number): string => (m >= 1000 ? `${m / 1000} km` : `${m} m`);

/** Scale bar (four alternating segments) at the bottom left, and a north arrow at the top right; SVG. */
export function mapFurniture(fit: Fit): string {
  const metres = scaleBarMetres(fit, fit.width / 4);
  const len = metres * fit.scale;
  const x0 = 16;
  const y0 = fit.height - 22;
  const seg = len / 4;
  const segments = [0, 1, 2, 3].map((i) => `<rect x="${r1(x0 + i * seg)}" y="${y0}" width="${r1(seg)}" height="5" fill="${i % 2 === 0 ? '#222' : '#fff'}" stroke="#222" stroke-width="0.8"/>`).join('');
  const bar = `<g class="scalebar"><rect x="${x0 - 6}" y="${y0 - 15}" width="${r1(len + 40)}" height="28" fill="#fff" fill-opacity="0.85"/>${segments}`
    + `<text x="${x0}" y="${y0 - 4}" font-size="10">0</text><text x="${r1(x0 + len)}" y="${y0 - 4}" font-size="10" text-anchor="middle">${metresLabel(metres)}</text></g>`;
  const nx = fit.width - 28;
  const north = `<g class="north" transform="translate(${nx} 16)"><circle cx="0" cy="18" r="15" fill="#fff" fill-opacity="0.85" stroke="#222" stroke-width="0.8"/>`
    + '<path d="M0 4 L7 26 L0 21 L-7 26 Z" fill="#222"/><text x="0" y="-1" font-size="11" font-weight="700" text-anchor="middle">N</text></g>';
  return bar + north;
}

const r1 = (v: number): number => Math.round(v * 10) / 10;
