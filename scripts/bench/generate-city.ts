/**
 * SYNTHETIC benchmark data for the analysis, tile and feature benchmarks: an invented, seeded city
 * made in PostGIS with generate_series (no files). The street grid is generate-network.ts's idea (a
 * square grid of streets 80 m apart around RD 155000/463000) with utility mains at their own offset
 * from the street centreline; here the grid shrinks with the size (side ∝ √size) so that the
 * density, and with it the work per planned work, stays the same at every size.
 *
 * At size N (default 1,000,000): N asset segments (sewer, pressure sewer, water, gas, low and
 * medium voltage, telecom; materials and in-service years so that part of them are due), 0.3·N
 * trees (points, system 'groen'), 0.02·N planned works over 2026–2031 and 0.0005·N moratoria,
 * owned by four organisations. The rows of each network layer are generated into a staging table
 * and then imported through the product's own loader (city-import.ts: loadSource, as `npm run
 * import` and the web import load a file, low-zoom overview included). Works are generated the
 * same way and written to a GeoJSON file that the works import reads (city-works.ts: as
 * `npm run import -- --works`); moratoria go through the API's create path (there is no file
 * import of moratoria), and finished reconstructions among the works add their own.
 *
 * Randomness is a hash of (entity id, stream, seed) (hashint8extended, stable across PostgreSQL
 * versions because hash partitioning relies on it): the same seed and size give the same rows.
 */
import pg from 'pg';
import type { SystemCode } from '../../api/src/model/systems.ts';
import { importStagedLayer } from './city-import.ts';
import { importCityWorks } from './city-works.ts';

/** 2: works through the works import (a file), moratoria through the API's create path */
export const CITY_GENERATOR_VERSION = 2;
const WORK_STAGE = 'city_work_stage';
const MORATORIUM_STAGE = 'city_moratorium_stage';

const CENTRE = { x: 155_000, y: 463_000 };
const BLOCK = 80;
const FULL_STREETS = 125;

export interface CitySize {
  assets: number;
  trees: number;
  works: number;
  moratoria: number;
  /** streets each way */
  streets: number;
  /** side of the city (m) */
  span: number;
}

export function citySize(size: number): CitySize {
  const scale = size / 1_000_000;
  const streets = Math.max(6, Math.round(FULL_STREETS * Math.sqrt(scale)));
  return {
    assets: size, trees: Math.round(300_000 * scale), works: Math.max(10, Math.round(20_000 * scale)),
    moratoria: Math.max(2, Math.round(500 * scale)), streets, span: BLOCK * (streets - 1),
  };
}

export const ORGANISATIONS = [
  { slug: 'syn-gemeente', name: 'Gemeente Synthese (synthetisch)', kind: 'gemeente' },
  { slug: 'syn-waterbedrijf', name: 'Waterbedrijf Synthese (synthetisch)', kind: 'drinkwaterbedrijf' },
  { slug: 'syn-netbeheer', name: 'Netbeheer Synthese (synthetisch)', kind: 'netbeheerder' },
  { slug: 'syn-telecom', name: 'Telecom Synthese (synthetisch)', kind: 'telecom' },
] as const;
type OrgSlug = (typeof ORGANISATIONS)[number]['slug'];

interface AssetSystem {
  code: SystemCode;
  weight: number;
  /** lateral offset from the street centreline (m) */
  offset: number;
  assetClass: string;
  materials: readonly string[];
  diameters: readonly number[];
}

interface Layer { name: string; owner: OrgSlug; systems: readonly AssetSystem[] }

/** Materials as the lifetime table writes them (model/analysis-rules.ts), so that due years follow from them. */
const LAYERS: readonly Layer[] = [
  { name: 'Riolering', owner: 'syn-gemeente', systems: [
    { code: 'riool_vrijverval', weight: 20, offset: 0, assetClass: 'leiding', materials: ['concrete', 'reinforcedConcrete', 'gres', 'PVC'], diameters: [250, 315, 400, 500, 600, 800] },
    { code: 'riool_pers', weight: 4, offset: 1.5, assetClass: 'leiding', materials: ['PE', 'PVC'], diameters: [110, 160, 200] },
  ] },
  { name: 'Drinkwater', owner: 'syn-waterbedrijf', systems: [
    { code: 'drinkwater', weight: 22, offset: -4, assetClass: 'leiding', materials: ['AC', 'GIJ', 'NGIJ', 'PVC', 'PE'], diameters: [63, 110, 160, 200] },
  ] },
  { name: 'Gas', owner: 'syn-netbeheer', systems: [
    { code: 'gas_ld', weight: 18, offset: 4, assetClass: 'leiding', materials: ['PVC', 'SPVC', 'steel', 'PE'], diameters: [63, 110, 125, 160] },
  ] },
  { name: 'Elektriciteit', owner: 'syn-netbeheer', systems: [
    { code: 'elektriciteit_ls', weight: 18, offset: -5, assetClass: 'kabel', materials: ['copper', 'aluminium'], diameters: [20, 32, 50] },
    { code: 'elektriciteit_ms', weight: 6, offset: -5.5, assetClass: 'kabel', materials: ['copper', 'aluminium'], diameters: [50, 75] },
  ] },
  { name: 'Telecom', owner: 'syn-telecom', systems: [
    { code: 'telecom', weight: 12, offset: 5, assetClass: 'kabel', materials: ['glass fibre', 'copper'], diameters: [40, 50, 110] },
  ] },
];
const TREE_LAYER = { name: 'Bomen', owner: 'syn-gemeente' as OrgSlug };
const TOTAL_WEIGHT = LAYERS.flatMap((l) => l.systems).reduce((s, x) => s + x.weight, 0);

/**
 * Kinds of planned work: owner, systems, where in the street cross-section, footprint, share that
 * opens the ground, trench width range (m). Weights are relative.
 */
interface WorkProfile {
  kind: string; owner: OrgSlug; systems: readonly string[]; weight: number; offset: number; areal: boolean; opens: number; width: [number, number];
}
const WORK_PROFILES: readonly WorkProfile[] = [
  { kind: 'vervanging riool', owner: 'syn-gemeente', systems: ['riool_vrijverval'], weight: 16, offset: 0, areal: false, opens: 1, width: [1.2, 2.5] },
  { kind: 'relining', owner: 'syn-gemeente', systems: ['riool_vrijverval'], weight: 5, offset: 0, areal: false, opens: 0, width: [1, 1] },
  { kind: 'reconstructie weg', owner: 'syn-gemeente', systems: ['mobiliteit'], weight: 7, offset: 0, areal: true, opens: 1, width: [0, 0] },
  { kind: 'herinrichting', owner: 'syn-gemeente', systems: ['mobiliteit', 'groen'], weight: 4, offset: 0, areal: true, opens: 1, width: [0, 0] },
  { kind: 'vergroening/klimaatadaptatie', owner: 'syn-gemeente', systems: ['groen'], weight: 5, offset: 7, areal: false, opens: 1, width: [1.5, 3] },
  { kind: 'vervanging waterleiding', owner: 'syn-waterbedrijf', systems: ['drinkwater'], weight: 15, offset: -4, areal: false, opens: 1, width: [0.8, 1.2] },
  { kind: 'netverzwaring', owner: 'syn-netbeheer', systems: ['elektriciteit_ls', 'elektriciteit_ms'], weight: 12, offset: -5, areal: false, opens: 1, width: [0.6, 1] },
  { kind: 'kabelvervanging', owner: 'syn-netbeheer', systems: ['elektriciteit_ls'], weight: 6, offset: -5, areal: false, opens: 1, width: [0.5, 0.8] },
  { kind: 'onderhoud', owner: 'syn-netbeheer', systems: ['gas_ld'], weight: 8, offset: 4, areal: false, opens: 0.6, width: [0.6, 1] },
  { kind: 'nieuwe warmteleiding', owner: 'syn-netbeheer', systems: ['warmte'], weight: 5, offset: -3, areal: false, opens: 1, width: [1.5, 2.5] },
  { kind: 'glasvezel', owner: 'syn-telecom', systems: ['telecom'], weight: 12, offset: 5, areal: false, opens: 1, width: [0.4, 0.6] },
];

const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const textArray = (xs: readonly string[]): string => `ARRAY[${xs.map(lit).join(', ')}]::text[]`;
const U = (i: string, k: number): string => `pg_temp.u(${i}, ${k})`;

/** "x, y" of a point `along` a street and `across` it, for horizontal (h) or vertical streets, from the grid origin. */
function xy(city: CitySize, along: string, across: string): string {
  const ox = CENTRE.x - city.span / 2;
  const oy = CENTRE.y - city.span / 2;
  return `${ox} + CASE WHEN h THEN ${along} ELSE ${across} END, ${oy} + CASE WHEN h THEN ${across} ELSE ${along} END`;
}

/** One layer's rows of one system: ids base+1..base+count, 2–5 vertices along a street. */
function assetInsertSql(table: string, s: AssetSystem, ownerId: number, base: number, count: number, city: CitySize): string {
  const point = (v: number): string => {
    const inner = `(${v} > 0 AND ${v} < n - 1)`;
    const along = `(along + least(${v}, n - 1)::float8 / (n - 1) * len + CASE WHEN ${inner} THEN (${U('id', 20 + v)} - 0.5) * len / n * 0.5 ELSE 0 END)`;
    const across = `(across + CASE WHEN ${inner} THEN (${U('id', 25 + v)} - 0.5) * 0.6 ELSE 0 END)`;
    return `ST_MakePoint(${xy(city, along, across)})`;
  };
  return `
    INSERT INTO ${table} (id, source_id, feature_no, system, owner_id, asset_class, status, material, diameter_mm,
      in_service_year, replacement_year, condition, label, geom)
    SELECT id, 'syn-' || id, id - ${base}, ${lit(s.code)}, ${ownerId}, ${lit(s.assetClass)},
      CASE WHEN ${U('id', 11)} < 0.92 THEN 'in gebruik' ELSE 'buiten gebruik' END,
      (${textArray(s.materials)})[1 + floor(${U('id', 12)} * ${s.materials.length})::int],
      (ARRAY[${s.diameters.join(', ')}]::float8[])[1 + floor(${U('id', 13)} * ${s.diameters.length})::int],
      CASE WHEN ${U('id', 14)} < 0.04 THEN NULL ELSE 1940 + floor(${U('id', 15)} * 84)::int END,
      CASE WHEN ${U('id', 16)} < 0.03 THEN 2026 + floor(${U('id', 17)} * 15)::int END,
      (1 + floor(${U('id', 18)} * 5)::int)::text,
      CASE WHEN h THEN 'Synthesestraat ' ELSE 'Syntheselaan ' END || (street + 1),
      ST_SetSRID(ST_MakeLine((ARRAY[${[0, 1, 2, 3, 4].map(point).join(', ')}])[1:n]), 28992)
    FROM (SELECT ${base}::bigint + g AS id FROM generate_series(1, ${count}) g) s
    CROSS JOIN LATERAL (SELECT ${U('id', 2)} < 0.5 AS h, floor(${U('id', 3)} * ${city.streets})::int AS street,
      8 + ${U('id', 4)} * 112 AS len, 2 + floor(${U('id', 7)} * 4)::int AS n) a
    CROSS JOIN LATERAL (SELECT ${U('id', 5)} * (${city.span} - len) AS along,
      street * ${BLOCK} + ${s.offset} + (${U('id', 6)} - 0.5) * 0.4 AS across) b`;
}

/** Street trees: points in the verges, 7 m either side of the centreline; some have a planned replacement year. */
function treeInsertSql(table: string, ownerId: number, base: number, count: number, city: CitySize): string {
  return `
    INSERT INTO ${table} (id, source_id, feature_no, system, owner_id, asset_class, status, material, in_service_year, replacement_year, condition, label, geom)
    SELECT id, 'syn-' || id, id - ${base}, 'groen', ${ownerId}, 'boom', 'in gebruik',
      (${textArray(['Tilia', 'Quercus', 'Platanus', 'Acer', 'Fraxinus', 'Ulmus'])})[1 + floor(${U('id', 12)} * 6)::int],
      1950 + floor(${U('id', 15)} * 73)::int, CASE WHEN ${U('id', 16)} < 0.15 THEN 2026 + floor(${U('id', 17)} * 15)::int END,
      (1 + floor(${U('id', 18)} * 5)::int)::text, 'boom ' || id,
      ST_SetSRID(ST_MakePoint(${xy(city, 'along', 'across')}), 28992)
    FROM (SELECT ${base}::bigint + g AS id FROM generate_series(1, ${count}) g) s
    CROSS JOIN LATERAL (SELECT ${U('id', 2)} < 0.5 AS h, ${U('id', 5)} * ${city.span} AS along,
      floor(${U('id', 3)} * ${city.streets}) * ${BLOCK} + CASE WHEN ${U('id', 6)} < 0.5 THEN -7 ELSE 7 END + (${U('id', 8)} - 0.5) AS across) a`;
}

/** Planned works 2026–2031: lines along a street at their system's offset, or street-wide rectangles. */
function worksInsertSql(orgIds: Map<string, number>, count: number, city: CitySize): string {
  const total = WORK_PROFILES.reduce((s, p) => s + p.weight, 0);
  let lo = 0;
  const rows = WORK_PROFILES.map((p) => {
    const hi = lo + p.weight / total;
    const row = `(${lo}, ${hi}, ${lit(p.kind)}, ${orgIds.get(p.owner)}, ${textArray(p.systems)}, ${p.offset}::float8, ${p.areal}, ${p.opens}::float8, ${p.width[0]}::float8, ${p.width[1]}::float8)`;
    lo = hi;
    return row;
  });
  const p = (along: string, across: string) => xy(city, along, across);
  return `
    INSERT INTO ${WORK_STAGE} (id, source_kind, source_id, owner_id, title, kind, work_kinds, systems, status, opens_ground, trench_width,
      earliest_start, preferred_start, preferred_end, latest_end, cost_estimate, confidentiality, content_hash, geom)
    SELECT g, 'manual', 'syn-work-' || g, p.owner, p.kind || ' ' || g || ' (synthetisch)', p.kind, ARRAY[p.kind], p.systems,
      CASE WHEN ${U('i', 30)} < 0.15 THEN 'idee' WHEN ${U('i', 30)} < 0.60 THEN 'gepland' WHEN ${U('i', 30)} < 0.85 THEN 'in voorbereiding'
           WHEN ${U('i', 30)} < 0.92 THEN 'in uitvoering' WHEN ${U('i', 30)} < 0.97 THEN 'gereed' ELSE 'vervallen' END,
      ${U('i', 31)} < p.opens,
      CASE WHEN p.areal OR ${U('i', 32)} < 0.2 THEN NULL ELSE round((p.wmin + ${U('i', 33)} * (p.wmax - p.wmin))::numeric, 1)::float8 END,
      CASE WHEN ${U('i', 34)} < 0.7 THEN start - floor(${U('i', 35)} * 180)::int END, start, start + dur,
      CASE WHEN ${U('i', 36)} < 0.7 THEN start + dur + floor(${U('i', 37)} * 365)::int END,
      round((20000 + ${U('i', 38)} * 2000000)::numeric, 2), CASE WHEN ${U('i', 39)} < 0.05 THEN 'C2' ELSE 'C1' END, 'synthetic',
      ST_SetSRID(CASE WHEN p.areal
        THEN ST_MakeEnvelope(${p('along', 'across - 9')}, ${p('along + len', 'across + 9')})
        ELSE ST_MakeLine(ST_MakePoint(${p('along', 'across + p.off')}), ST_MakePoint(${p('along + len', 'across + p.off')})) END, 28992)
    FROM (SELECT g, 1000000000::bigint + g AS i FROM generate_series(1, ${count}) g) s
    JOIN (VALUES ${rows.join(',\n      ')}) p(lo, hi, kind, owner, systems, off, areal, opens, wmin, wmax)
      ON ${U('i', 1)} >= p.lo AND ${U('i', 1)} < p.hi
    CROSS JOIN LATERAL (SELECT ${U('i', 2)} < 0.5 AS h, CASE WHEN p.areal THEN 40 + ${U('i', 4)} * 210 ELSE 30 + power(${U('i', 4)}, 1.5) * 270 END AS len,
      14 + floor(power(${U('i', 40)}, 2) * 240)::int AS dur, floor(${U('i', 3)} * ${city.streets}) * ${BLOCK} + (${U('i', 6)} - 0.5) * 0.6 AS across) a
    CROSS JOIN LATERAL (SELECT ${U('i', 5)} * (${city.span} - len) AS along, DATE '2026-01-01' + floor(${U('i', 41)} * (2191 - dur))::int AS start) b`;
}

/** Dig moratoria over street sections after reconstructions (2021–2029, 3–5 years), some with exceptions. */
function moratoriaInsertSql(ownerId: number, count: number, city: CitySize): string {
  return `
    INSERT INTO ${MORATORIUM_STAGE} (id, owner_id, valid_from, valid_until, reason, exceptions, geom)
    SELECT g, ${ownerId}, vf, (vf + make_interval(years => 3 + floor(${U('i', 7)} * 3)::int))::date,
      'graafrust na reconstructie (synthetisch)',
      CASE WHEN ${U('i', 8)} < 0.4 THEN '{}'::text[] WHEN ${U('i', 8)} < 0.7 THEN ARRAY['onderhoud'] ELSE ARRAY['glasvezel', 'onderhoud'] END,
      ST_SetSRID(ST_MakeEnvelope(${xy(city, 'along', 'across - 9')}, ${xy(city, 'along + len', 'across + 9')}), 28992)
    FROM (SELECT g, 2000000000::bigint + g AS i FROM generate_series(1, ${count}) g) s
    CROSS JOIN LATERAL (SELECT ${U('i', 2)} < 0.5 AS h, 100 + ${U('i', 4)} * 300 AS len, floor(${U('i', 3)} * ${city.streets}) * ${BLOCK} AS across,
      DATE '2021-01-01' + floor(${U('i', 6)} * 3285)::int AS vf) a
    CROSS JOIN LATERAL (SELECT ${U('i', 5)} * (${city.span} - len) AS along) b`;
}

export interface CityStats extends CitySize {
  seed: number;
  generatorVersion: number;
  datasets: { id: number; name: string; rows: number }[];
  generateMs: number;
  /** of generateMs: the network layers through the product's loader, up to each commit (city-import.ts) */
  importMs: number;
  /** of generateMs: the low-zoom overviews the loader built after each commit (migration 020) */
  overviewMs: number;
  analyzeMs: number;
  /** relation sizes after ANALYZE (MB) */
  sizesMb: Record<string, number>;
}

async function session(url: string, seed: number): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: 'samenhang-bench-generate' });
  await c.connect();
  // trusted generator: the system context passes row security when the role does not bypass it
  await c.query(`SELECT set_config('samenhang.system', 'on', false)`);
  await c.query(`SET maintenance_work_mem = '512MB'`);
  await c.query(`CREATE FUNCTION pg_temp.u(i bigint, k integer) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (hashint8extended(i * 64 + k, ${Math.trunc(seed)}) & 2147483647)::float8 / 2147483648 $$`);
  return c;
}

interface LayerJob { stage: string; name: string; ownerId: number; systems: SystemCode[]; fill: string[]; rows: number }

/** Write the layers' rows into staging tables, two at a time (two connections: this machine's cores). */
async function stageLayers(url: string, seed: number, jobs: LayerJob[], log: (m: string) => void): Promise<void> {
  const queue = [...jobs];
  const worker = async () => {
    const c = await session(url, seed);
    try {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const started = performance.now();
        await c.query(`CREATE UNLOGGED TABLE ${job.stage} AS SELECT * FROM asset WITH NO DATA`); // no NOT NULLs: only the source columns are filled
        for (const sql of job.fill) await c.query(sql);
        log(`layer ${job.name}: ${job.rows} rows generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
    } finally {
      await c.end();
    }
  };
  await Promise.all([worker(), worker()]);
}

/** Import the staged layers one after the other through the product's loader (city-import.ts). */
async function importLayers(url: string, jobs: LayerJob[], log: (m: string) => void): Promise<{ importMs: number; overviewMs: number }> {
  let importMs = 0;
  let overviewMs = 0;
  for (const job of jobs) {
    const started = performance.now();
    const report = await importStagedLayer(url, { name: job.name, ownerId: job.ownerId, stage: job.stage, systems: job.systems, rows: job.rows });
    const ms = performance.now() - started;
    const overview = report.phasesMs?.overview ?? 0;
    importMs += ms - overview;
    overviewMs += overview;
    log(`layer ${job.name}: ${report.loaded} features imported in ${((ms - overview) / 1000).toFixed(1)} s, overview ${(overview / 1000).toFixed(1)} s`);
  }
  return { importMs, overviewMs };
}

/** Write the SYNTHETIC city into a freshly migrated database, then ANALYZE it. */
export async function generateCity(url: string, seed: number, size: number, log: (m: string) => void): Promise<CityStats> {
  const city = citySize(size);
  const started = performance.now();
  const c = await session(url, seed);
  try {
    const orgIds = new Map<string, number>();
    for (const o of ORGANISATIONS) {
      const r = await c.query<{ id: number }>('INSERT INTO organisation (name, kind, slug) VALUES ($1, $2, $3) RETURNING id', [o.name, o.kind, o.slug]);
      orgIds.set(o.slug, r.rows[0]?.id ?? 0);
    }
    const jobs: LayerJob[] = [];
    let base = 0;
    let remaining = city.assets;
    const systems = LAYERS.flatMap((l) => l.systems);
    for (const layer of LAYERS) {
      const ownerId = orgIds.get(layer.owner) ?? 0;
      const job: LayerJob = { stage: `city_stage_${jobs.length + 1}`, name: `${layer.name} (synthetisch)`, ownerId, systems: layer.systems.map((s) => s.code), fill: [], rows: 0 };
      for (const s of layer.systems) {
        const count = s === systems[systems.length - 1] ? remaining : Math.round((city.assets * s.weight) / TOTAL_WEIGHT);
        remaining -= count;
        job.fill.push(assetInsertSql(job.stage, s, ownerId, base, count, city));
        base += count;
        job.rows += count;
      }
      jobs.push(job);
    }
    const treeOwner = orgIds.get(TREE_LAYER.owner) ?? 0;
    const trees = `city_stage_${jobs.length + 1}`;
    jobs.push({ stage: trees, name: `${TREE_LAYER.name} (synthetisch)`, ownerId: treeOwner, systems: ['groen'], fill: [treeInsertSql(trees, treeOwner, base, city.trees, city)], rows: city.trees });
    log(`generating the SYNTHETIC city (seed ${seed}): ${city.streets}×${city.streets} streets over ${(city.span / 1000).toFixed(1)} km, `
      + `${city.assets} asset segments, ${city.trees} trees, ${city.works} works, ${city.moratoria} moratoria`);
    await stageLayers(url, seed, jobs, log);
    const { importMs, overviewMs } = await importLayers(url, jobs, log);
    const worksStarted = performance.now();
    await c.query(`CREATE UNLOGGED TABLE ${WORK_STAGE} (LIKE work INCLUDING DEFAULTS)`);
    await c.query(worksInsertSql(orgIds, city.works, city));
    await c.query(`CREATE UNLOGGED TABLE ${MORATORIUM_STAGE} (LIKE moratorium INCLUDING DEFAULTS)`);
    await c.query(moratoriaInsertSql(orgIds.get('syn-gemeente') ?? 0, city.moratoria, city));
    const planned = await importCityWorks(url, { seed, size: city.assets, works: WORK_STAGE, moratoria: MORATORIUM_STAGE });
    log(`works: ${planned.works.created} imported from ${planned.file} (${planned.works.moratoriaGenerated} moratoria generated from finished reconstructions), `
      + `${planned.moratoria} moratoria created, in ${((performance.now() - worksStarted) / 1000).toFixed(1)} s`);
    const generateMs = performance.now() - started;
    const analyzeStarted = performance.now();
    await c.query('ANALYZE');
    const analyzeMs = performance.now() - analyzeStarted;
    const sizes = await c.query<{ name: string; mb: number }>(
      `SELECT 'asset (all partitions)' AS name, round(sum(pg_total_relation_size(i.inhrelid)) / 1048576.0)::float8 AS mb FROM pg_inherits i WHERE i.inhparent = 'asset'::regclass
       UNION ALL SELECT 'work', round(pg_total_relation_size('work') / 1048576.0)::float8
       UNION ALL SELECT 'moratorium', round(pg_total_relation_size('moratorium') / 1048576.0, 1)::float8`);
    const datasets = await c.query<{ id: number; name: string; rows: number }>(
      'SELECT d.id, d.name, (SELECT count(*)::int FROM asset a WHERE a.dataset_id = d.id) AS rows FROM dataset d ORDER BY d.id');
    return {
      ...city, seed, generatorVersion: CITY_GENERATOR_VERSION, datasets: datasets.rows, generateMs, importMs, overviewMs, analyzeMs,
      sizesMb: Object.fromEntries(sizes.rows.map((r) => [r.name, r.mb])),
    };
  } finally {
    await c.end();
  }
}
