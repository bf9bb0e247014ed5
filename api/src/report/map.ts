/**
 * The map image of the area report (issue 8), drawn by PostGIS as inline SVG in RD New: the
 * networks the requester may see, lightly in their system's colour (model/systems.ts); the works
 * by owner (solid: opens the ground, dashed: does not), bundles with a yellow halo and their
 * label, dig moratoria hatched, the area's boundary, published hotspots as numbered markers; a
 * scale bar and north arrow; for a municipality an overview inset. The legend is HTML (legend()).
 */
import { assetReadableSql, policyParams } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';
import type { Pool } from '../db/pool.ts';
import { SYSTEMS } from '../model/systems.ts';
import { escapeHtml } from '../ogc/html.ts';
import type { ReportData } from './collect.ts';
import {
  type Extent, type Fit, clusterExtents, fitExtent, fitParams, frameExtent, frameHeight, mapFurniture, padExtent, project, svgPathSql, unionExtent,
} from './map-fit.ts';

export const MAP_WIDTH = 1000;
const OWNER_COLOURS = ['#1f5fa8', '#c0392b', '#1e8449', '#7d3c98', '#d35400', '#117a8b', '#6d4c41', '#b7950b'];
export const HOTSPOT_COLOURS = { kans: '#1e8449', knelpunt: '#c0392b' } as const;

/** Each owner its colour, in name order (the timeline and the legend use the same). */
export function ownerColours(owners: readonly string[]): Map<string, string> {
  return new Map([...new Set(owners)].sort((a, b) => a.localeCompare(b, 'nl')).map((o, i) => [o, OWNER_COLOURS[i % OWNER_COLOURS.length] as string]));
}

/** The bundles' labels B1, B2 … and which bundle each work is in. */
export function bundleTags(data: Pick<ReportData, 'bundles'>): Map<number, string> {
  const tags = new Map<number, string>();
  data.bundles.forEach((b, i) => b.works.forEach((w) => tags.set(w, `B${i + 1}`)));
  return tags;
}

function contentExtents(data: Pick<ReportData, 'works' | 'moratoria' | 'walks'>): Extent[] {
  const points = data.walks.flatMap((w) => w.hotspots).map((h) => ({ minx: h.x, maxx: h.x, miny: h.y, maxy: h.y }));
  return [...data.works.map((w) => w.extent), ...data.moratoria.map((m) => m.extent), ...points];
}

/** What the overview map shows: the works, moratoria and hotspots with some room, else the whole area (or the map view asked for). */
export function mapExtent(data: Pick<ReportData, 'area' | 'works' | 'moratoria' | 'walks'>): Extent {
  if (data.area.bbox) return data.area.extent;
  const content = unionExtent(contentExtents(data));
  return content ? padExtent(content, 0.08, 400) : data.area.extent;
}

/** Places more than 300 m apart each get a detail map (none when there is only one place). */
export function detailExtents(data: Pick<ReportData, 'works' | 'moratoria' | 'walks'>): Extent[] {
  const places = clusterExtents(contentExtents(data), 300);
  return places.length < 2 ? [] : places.map((e) => padExtent(e, 0.08, 300));
}

interface PathRow { key: string; d: string | null; dim: number }

async function paths(pool: Pool, fit: Fit, sql: string, params: unknown[]): Promise<PathRow[]> {
  return (await pool.query<PathRow>(sql, [...fitParams(fit), ...params])).rows.filter((r) => r.d);
}

const envelope = (first: number) => `ST_MakeEnvelope($${first}::float8, $${first + 1}::float8, $${first + 2}::float8, $${first + 3}::float8, 28992)`;
const WORKING = `(SELECT value::int FROM app_setting WHERE key = 'working_srid')`;

export interface MapOptions {
  /** distinguishes the SVG's ids when several maps share the document */
  key: string;
  /** detail maps to outline on the overview, labelled D1, D2 … */
  details?: readonly Extent[];
  inset?: boolean;
}

/** One map of the report: the overview (mapExtent) or a detail map of one place. */
export async function drawMap(pool: Pool, p: Principal, data: ReportData, extent: Extent, opts: MapOptions): Promise<string> {
  const height = frameHeight(extent, MAP_WIDTH, 560, 960); // an A4 page holds the map and its legend
  const fit = fitExtent(extent, MAP_WIDTH, height, 24);
  const view = frameExtent(fit);
  const box = [view.minx, view.miny, view.maxx, view.maxy];
  const networks = await paths(pool, fit,
    `SELECT a.system AS key, 1 AS dim, ${svgPathSql(`ST_CollectionExtract(ST_Collect(ST_ClipByBox2D(ST_Transform(a.geom, 28992), ${envelope(9)}::box2d)), 2)`, 1)} AS d
     FROM asset a JOIN dataset d ON d.id = a.dataset_id
     WHERE a.geom && ST_Transform(${envelope(9)}, ${WORKING}) AND ST_Dimension(a.geom) = 1 AND ${assetReadableSql(4)}
     GROUP BY a.system`, [...policyParams(p), ...box]);
  const works = await paths(pool, fit,
    `SELECT w.id::text AS key, ST_Dimension(w.geom) AS dim, ${svgPathSql('ST_Transform(w.geom, 28992)', 1)} AS d FROM work w WHERE w.id = ANY($4::bigint[])`,
    [data.works.map((w) => w.id)]);
  const moratoria = await paths(pool, fit,
    `SELECT m.id::text AS key, 2 AS dim, ${svgPathSql('ST_Transform(m.geom, 28992)', 1)} AS d FROM moratorium m WHERE m.id = ANY($4::bigint[])`,
    [data.moratoria.map((m) => m.id)]);
  const boundary = data.area.code === null ? [] : await paths(pool, fit,
    `SELECT 'area' AS key, 1 AS dim, ${svgPathSql(`ST_ClipByBox2D(ST_Transform(ST_Boundary($4::geometry), 28992), ${envelope(5)}::box2d)`, 1)} AS d`, [data.area.ewkb, ...box]);

  const systemOrder = new Map(SYSTEMS.map((s) => [s.code, s.order]));
  const colourOf = new Map(SYSTEMS.map((s) => [s.code as string, s.color]));
  const owners = ownerColours(data.works.map((w) => w.owner));
  const byId = new Map(data.works.map((w) => [String(w.id), w]));
  const tags = bundleTags(data);
  const net = networks.sort((a, b) => (systemOrder.get(a.key as never) ?? 0) - (systemOrder.get(b.key as never) ?? 0))
    .map((r) => `<path d="${r.d}" fill="none" stroke="${colourOf.get(r.key) ?? '#888'}" stroke-width="0.9" stroke-opacity="0.5"/>`).join('');
  const hatch = moratoria.map((r) => `<path d="${r.d}" fill="url(#hatch-${opts.key})" stroke="#555" stroke-width="1" stroke-dasharray="4 2"/>`).join('');
  const halos = works.filter((r) => tags.has(Number(r.key)))
    .map((r) => `<path d="${r.d}" fill="${r.dim === 2 ? '#ffd400' : 'none'}" fill-opacity="0.35" stroke="#ffd400" stroke-width="11" stroke-opacity="0.75" stroke-linejoin="round" stroke-linecap="round"/>`).join('');
  const drawn = works.map((r) => {
    const w = byId.get(r.key);
    const colour = owners.get(w?.owner ?? '') ?? '#333';
    const dash = w?.opensGround === false ? ' stroke-dasharray="6 3"' : '';
    return r.dim === 2
      ? `<path d="${r.d}" fill="${colour}" fill-opacity="0.18" stroke="${colour}" stroke-width="1.6"${dash}><title>${escapeHtml(w?.title ?? '')}</title></path>`
      : `<path d="${r.d}" fill="none" stroke="${colour}" stroke-width="3.2" stroke-linecap="round"${dash}><title>${escapeHtml(w?.title ?? '')}</title></path>`;
  }).join('');
  const labels = data.bundles.map((b, i) => {
    const e = unionExtent(b.works.map((id) => data.works.find((w) => w.id === id)?.extent));
    if (!e) return '';
    const [cx, cy] = project(fit, (e.minx + e.maxx) / 2, (e.miny + e.maxy) / 2);
    if (cx < 0 || cy < 0 || cx > MAP_WIDTH || cy > height) return ''; // the bundle lies outside this map
    const [x, y] = project(fit, e.maxx, e.maxy);
    return `<g transform="translate(${r1(Math.min(x + 4, MAP_WIDTH - 40))} ${r1(Math.max(y - 4, 14))})"><rect x="-2" y="-12" width="28" height="15" rx="3" fill="#ffd400" stroke="#222" stroke-width="0.7"/>`
      + `<text x="12" y="-1" font-size="11" font-weight="700" text-anchor="middle">B${i + 1}</text></g>`;
  }).join('');
  const markers = data.walks.flatMap((w) => w.hotspots).map((h) => {
    const [x, y] = project(fit, h.x, h.y);
    return `<g transform="translate(${r1(x)} ${r1(y)})"><circle r="8" fill="${HOTSPOT_COLOURS[h.kind]}" stroke="#fff" stroke-width="1.5"/>`
      + `<text y="3.5" font-size="9" font-weight="700" fill="#fff" text-anchor="middle">${h.no}</text><title>${escapeHtml(`H${h.no} ${h.kind}: ${h.theme}`)}</title></g>`;
  }).join('');
  const area = boundary.map((r) => `<path d="${r.d}" fill="none" stroke="#222" stroke-width="2" stroke-dasharray="10 4 2 4"/>`).join('');
  const inset = opts.inset && data.area.code !== null ? await overview(pool, data, view, height) : '';
  const frames = (opts.details ?? []).map((e, i) => {
    const [x0, y0] = project(fit, e.minx, e.maxy);
    const [x1, y1] = project(fit, e.maxx, e.miny);
    return `<rect x="${r1(x0)}" y="${r1(y0)}" width="${r1(x1 - x0)}" height="${r1(y1 - y0)}" fill="none" stroke="#0b3d66" stroke-width="1.4" stroke-dasharray="6 3"/>`
      + `<text x="${r1(x0 + 4)}" y="${r1(y0 + 14)}" font-size="12" font-weight="700" fill="#0b3d66">D${i + 1}</text>`;
  }).join('');
  return `<svg class="map" role="img" aria-label="${escapeHtml(`${opts.details ? 'Overzichtskaart' : 'Detailkaart'} van ${data.area.name}`)}" viewBox="0 0 ${MAP_WIDTH} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg" font-family="Helvetica, Arial, sans-serif" data-testid="report-${opts.key}">`
    + `<defs><pattern id="hatch-${opts.key}" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="7" height="7" fill="#888" fill-opacity="0.12"/><line x1="0" y1="0" x2="0" y2="7" stroke="#666" stroke-width="1.4"/></pattern>`
    + `<clipPath id="frame-${opts.key}"><rect width="${MAP_WIDTH}" height="${height}"/></clipPath></defs>`
    + `<rect width="${MAP_WIDTH}" height="${height}" fill="#fbfaf7"/><g clip-path="url(#frame-${opts.key})">${net}${hatch}${area}${halos}${drawn}${labels}${markers}${frames}</g>`
    + `${inset}${mapFurniture(fit)}<rect width="${MAP_WIDTH}" height="${height}" fill="none" stroke="#444" stroke-width="1"/></svg>`;
}

/** The inset: the whole municipality, with the map's frame in red (only when the map shows a part of it). */
async function overview(pool: Pool, data: ReportData, view: Extent, height: number): Promise<string> {
  const a = data.area.extent;
  if ((view.maxx - view.minx) > 0.6 * (a.maxx - a.minx) && (view.maxy - view.miny) > 0.6 * (a.maxy - a.miny)) return '';
  const [w, h] = [190, 150];
  const fit = fitExtent(a, w, h, 8);
  const outline = await paths(pool, fit, `SELECT 'area' AS key, 2 AS dim, ${svgPathSql('ST_Transform($4::geometry, 28992)', 1)} AS d`, [data.area.ewkb]);
  const [x0, y0] = project(fit, view.minx, view.maxy);
  const [x1, y1] = project(fit, view.maxx, view.miny);
  return `<g class="inset" transform="translate(${MAP_WIDTH - w - 10} ${height - h - 10})"><rect width="${w}" height="${h}" fill="#fff" stroke="#444" stroke-width="0.8"/>`
    + outline.map((r) => `<path d="${r.d}" fill="#e8e4da" stroke="#444" stroke-width="0.8"/>`).join('')
    + `<rect x="${r1(x0)}" y="${r1(y0)}" width="${r1(Math.max(x1 - x0, 3))}" height="${r1(Math.max(y1 - y0, 3))}" fill="none" stroke="#c00" stroke-width="1.6"/>`
    + `<text x="6" y="${h - 6}" font-size="9" fill="#444">${escapeHtml(data.area.name)}</text></g>`;
}

/** The map's legend as HTML: the systems drawn, the owners, the symbols. */
export function legend(data: ReportData): string {
  const owners = ownerColours(data.works.map((w) => w.owner));
  const line = (colour: string, extra = '', width = 3) => `<svg width="28" height="10" aria-hidden="true"><line x1="1" y1="5" x2="27" y2="5" stroke="${colour}" stroke-width="${width}"${extra}/></svg>`;
  const item = (symbol: string, text: string) => `<li>${symbol} ${escapeHtml(text)}</li>`;
  const systems = SYSTEMS.filter((s) => s.code !== 'overig').map((s) => item(line(s.color, ' stroke-opacity="0.6"', 1.5), s.labelNl)).join('');
  const ownerItems = [...owners].map(([o, c]) => item(line(c), o)).join('');
  const symbols = [
    item(line('#333', ' stroke-dasharray="6 3"'), 'werk dat de grond niet opent'),
    item(line('#ffd400', ' stroke-opacity="0.75"', 9), 'werk in een bundel (B1, B2 …)'),
    item('<svg width="28" height="12" aria-hidden="true"><rect x="1" y="1" width="26" height="10" fill="#ddd" stroke="#555" stroke-dasharray="4 2"/><line x1="6" y1="11" x2="14" y2="1" stroke="#666"/><line x1="14" y1="11" x2="22" y2="1" stroke="#666"/></svg>', 'graafrust'),
    item(line('#222', ' stroke-dasharray="10 4 2 4"', 2), 'gebiedsgrens'),
    item(`<svg width="14" height="14" aria-hidden="true"><circle cx="7" cy="7" r="6" fill="${HOTSPOT_COLOURS.kans}"/></svg>`, 'hotspot: kans'),
    item(`<svg width="14" height="14" aria-hidden="true"><circle cx="7" cy="7" r="6" fill="${HOTSPOT_COLOURS.knelpunt}"/></svg>`, 'hotspot: knelpunt'),
  ].join('');
  return `<div class="legend"><div><h4>Werken per eigenaar</h4><ul>${ownerItems || '<li>geen werken</li>'}</ul><h4>Symbolen</h4><ul>${symbols}</ul></div>`
    + `<div><h4>Netwerken (licht)</h4><ul class="cols">${systems}</ul></div></div>`;
}

const r1 = (v: number): number => Math.round(v * 10) / 10;
