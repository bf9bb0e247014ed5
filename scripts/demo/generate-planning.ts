/**
 * `npm run demo:planning [-- --seed N]`: writes data/demo-planning/werken-fictief.geojson, the
 * FICTIONAL planning of the demo area (about 40 works of gemeente Maasgouw, WML, Enexis and KPN,
 * 2026–2032). The works follow the REAL networks of the KLIC deliveries in the database that
 * DATABASE_URL points at (`npm start` or `npm run setup` loads them): a water-main replacement runs
 * along real asbestos-cement mains, a sewer replacement along the real sewer in the same street.
 * Owners, kinds, dates, costs and titles are invented (planning-scenarios.ts). The same seed and the
 * same KLIC deliveries give the same file.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type PlannedWork, type Rng, TYPES, addMonths, fillers, pickOne, scenarios, seeded, statusFor } from './planning-scenarios.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PLANNING_FILE = path.join(ROOT, 'data', 'demo-planning', 'werken-fictief.geojson');
export const DEFAULT_PLANNING_SEED = 20261129;
const TOTAL_WORKS = 40;

interface Line { sourceId: string; system: string; material: string | null; lengthM: number }

/** The real network lines (KLIC), and which touch which (within 0.5 m): the streets a work can follow. */
async function network(c: pg.Client): Promise<{ lines: Map<string, Line>; next: Map<string, string[]> }> {
  const r = await c.query<{ source_id: string; system: string; material: string | null; length_m: number }>(
    `SELECT source_id, system, material, ST_Length(geom) AS length_m FROM asset
     WHERE source_kind = 'klic' AND ST_Dimension(geom) = 1 AND ST_Length(geom) > 0.5
       AND asset_class IN ('Waterleiding', 'Rioolleiding', 'Elektriciteitskabel', 'OlieGasChemicalienPijpleiding', 'Kabelbed')
     ORDER BY source_id`);
  const lines = new Map(r.rows.map((x) => [x.source_id, { sourceId: x.source_id, system: x.system, material: x.material, lengthM: x.length_m }]));
  const e = await c.query<{ a: string; b: string }>(
    `WITH l AS (SELECT source_id, system, geom FROM asset WHERE source_kind = 'klic' AND ST_Dimension(geom) = 1 AND source_id = ANY($1))
     SELECT x.source_id AS a, y.source_id AS b FROM l x JOIN l y ON x.system = y.system AND x.source_id < y.source_id AND ST_DWithin(x.geom, y.geom, 0.5)
     ORDER BY 1, 2`, [[...lines.keys()]]);
  const next = new Map<string, string[]>();
  for (const { a, b } of e.rows) {
    next.set(a, [...(next.get(a) ?? []), b]);
    next.set(b, [...(next.get(b) ?? []), a]);
  }
  return { lines, next };
}

/** A route along one network: from a seed line, keep stepping to a touching line not used yet. */
function walk(rng: Rng, net: Awaited<ReturnType<typeof network>>, seeds: Line[], [minM, maxM]: [number, number], taken: Set<string>): string[] | null {
  for (let attempt = 0; attempt < 50; attempt++) {
    const seed = pickOne(rng, seeds);
    if (taken.has(seed.sourceId)) continue;
    const route = [seed.sourceId];
    let length = seed.lengthM;
    const target = minM + rng() * (maxM - minM);
    while (length < target) {
      const options = route.flatMap((id) => net.next.get(id) ?? []).filter((id) => !route.includes(id) && !taken.has(id));
      const last = route.at(-1) ?? '';
      const fromLast = options.filter((id) => (net.next.get(last) ?? []).includes(id));
      const pool = fromLast.length ? fromLast : options;
      if (!pool.length) break;
      const step = pickOne(rng, pool);
      route.push(step);
      length += net.lines.get(step)?.lengthM ?? 0;
    }
    if (length >= minM) return route;
  }
  return null;
}

/** Pieces under 2 m (slivers where a network leaves the street) are left out: a work is a stretch of street. */
const CLEAN = `, clean AS (SELECT ST_Multi(ST_Collect(d.geom)) AS g, min(merged.ids) AS ids FROM merged, ST_Dump(merged.g) d WHERE ST_Length(d.geom) >= 2 HAVING count(*) > 0)`;

interface Built { geometry: unknown; size: number; routeIds: string[] }

/** The work's geometry (GeoJSON in RD New) from its route, or the lines of another network next to a route; null when there are none (or too few metres). */
async function build(c: pg.Client, routeIds: string[], polygonM: number | undefined, near?: { systems: string[]; withinM: number }): Promise<Built | null> {
  // RD New, to the millimetre, valid after the rounding (what the file holds is what gets checked)
  const shape = polygonM
    ? `ST_CollectionExtract(ST_MakeValid(ST_SnapToGrid(ST_SimplifyPreserveTopology(ST_Buffer(g, ${polygonM}, 'endcap=flat join=round quad_segs=4'), 0.05), 0.001)), 3)`
    : 'ST_SnapToGrid(g, 0.001)';
  const r = await c.query<{ geojson: string | null; size: number | null; ids: string[] | null }>(near
    ? `WITH route AS (SELECT ST_Buffer(ST_Union(geom ORDER BY source_id), $2) AS b FROM asset WHERE source_kind = 'klic' AND source_id = ANY($1)),
            hit AS (SELECT a.source_id, ST_CollectionExtract(ST_Intersection(a.geom, route.b), 2) AS g FROM asset a, route
                    WHERE a.source_kind = 'klic' AND a.system = ANY($3) AND ST_Dimension(a.geom) = 1 AND ST_Intersects(a.geom, route.b)),
            merged AS (SELECT ST_LineMerge(ST_Union(g ORDER BY source_id)) AS g, array_agg(source_id ORDER BY source_id) AS ids FROM hit WHERE NOT ST_IsEmpty(g))
       ${CLEAN}
       SELECT ST_AsGeoJSON(${shape}, 3) AS geojson, ${polygonM ? `ST_Area(${shape})` : 'ST_Length(g)'} AS size, ids FROM clean`
    : `WITH merged AS (SELECT ST_LineMerge(ST_Union(geom ORDER BY source_id)) AS g, $1::text[] AS ids FROM asset WHERE source_kind = 'klic' AND source_id = ANY($1))
       ${CLEAN}
       SELECT ST_AsGeoJSON(${shape}, 3) AS geojson, ${polygonM ? `ST_Area(${shape})` : 'ST_Length(g)'} AS size, ids FROM clean`,
  near ? [routeIds, near.withinM, near.systems] : [routeIds]);
  const row = r.rows[0];
  if (!row?.geojson || row.size === null || (!polygonM && row.size < 30)) return null;
  return { geometry: JSON.parse(row.geojson) as unknown, size: row.size, routeIds: row.ids ?? routeIds };
}

function feature(n: number, w: PlannedWork, built: Built, scenario: string) {
  const t = TYPES[w.type];
  const [start, end] = w.preferred;
  const status = statusFor(start, w.status);
  return {
    type: 'Feature',
    properties: {
      id: `fictief-${String(n).padStart(3, '0')}`,
      title: `${t.title} (fictief, ${scenario})`,
      owner: t.owner, kind: t.kind, systems: t.systems, status, opensGround: t.opensGround, trenchWidth: t.trenchWidth,
      earliestStart: w.flexMonths[0] ? addMonths(start, -w.flexMonths[0]) : null, preferredStart: start, preferredEnd: end,
      latestEnd: w.flexMonths[1] ? addMonths(end, w.flexMonths[1]) : null,
      costEstimate: Math.round((built.size * t.costPerUnit) / 1000) * 1000,
      contact: 'Fictieve demo-planning (data/demo-planning/README.md)', confidentiality: 'C1',
    },
    geometry: built.geometry,
  };
}

export async function generatePlanning(databaseUrl: string, seed: number): Promise<{ features: unknown[]; scenarios: string[] }> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query(`SELECT set_config('samenhang.system', 'on', false)`);
    const net = await network(c);
    if (net.lines.size === 0) throw new Error('no KLIC network lines in this database: run `npm run setup` (or `npm start`) first');
    const rng = seeded(seed);
    const taken = new Set<string>();
    const features: unknown[] = [];
    const names: string[] = [];
    const planned = scenarios(rng);
    const all = [...planned, ...fillers(rng, TOTAL_WORKS - planned.reduce((s, x) => s + x.works.length, 0))];
    for (const sc of all) {
      // a scenario is placed whole or not at all: retry with other seeds when a companion network is missing
      for (let attempt = 0; attempt < 40; attempt++) {
        const built: Built[] = [];
        for (const w of sc.works) {
          const p = w.place;
          if ('near' in p) {
            const base = built[p.near];
            const b = base ? await build(c, base.routeIds, w.polygonM, { systems: p.along, withinM: p.withinM }) : null;
            if (!b) break;
            built.push(b);
          } else {
            const seeds = [...net.lines.values()].filter((l) => p.along.includes(l.system as never) && (!p.seedMaterial || p.seedMaterial.includes(l.material ?? '')));
            const route = seeds.length ? walk(rng, net, seeds, p.lengthM, taken) : null;
            const b = route ? await build(c, route, w.polygonM) : null;
            if (!b) break;
            built.push(b);
          }
        }
        if (built.length < sc.works.length) continue;
        for (const b of built) for (const id of b.routeIds) taken.add(id);
        sc.works.forEach((w, i) => features.push(feature(features.length + 1, w, built[i] as Built, sc.name)));
        names.push(sc.name);
        break;
      }
    }
    return { features, scenarios: names };
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seed: { type: 'string', default: String(DEFAULT_PLANNING_SEED) }, out: { type: 'string', default: PLANNING_FILE } } });
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (the database with the demo KLIC deliveries: see npm run db:url)');
  const seed = Number(values.seed);
  const { features, scenarios: placed } = await generatePlanning(url, seed);
  const fc = {
    type: 'FeatureCollection',
    name: 'werken-fictief',
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::28992' } },
    description: `FICTIONAL planning for the Samenhang demo (seed ${seed}), generated by scripts/demo/generate-planning.ts along the real KLIC networks of gemeente Maasgouw. Not a real plan of any organisation.`,
    features,
  };
  await writeFile(values.out, `${JSON.stringify(fc, null, 1)}\n`);
  console.log(`${features.length} fictional works (${placed.length} scenarios placed) → ${path.relative(ROOT, values.out)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`demo:planning failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
