/**
 * Samenhang in beeld over HTTP (issue 6):
 *   GET /api/analysis/findings?bbox=minLon,minLat,maxLon,maxLat | area=<CBS code> [&works=1,2]
 *   GET /api/analysis/bundles (same scope)
 *   GET /api/analysis/findings/export?format=geojson|csv, /api/analysis/bundles/export?format=...
 *   GET /api/analysis/rules, PUT /api/analysis/rules (administrators; recomputes everything)
 * Findings come from the store (recomputed per work after each edit); each caller sees those whose
 * works it may see, with the decision when its organisation is involved. Ids are stable
 * (`combine:12-34`, `bundle:12-34-56`): decisions hang on them.
 */
import { Router, type Response } from 'express';
import { assetReadableSql, moratoriumReadableSql, policyParams, readableSql } from '../../auth/policy.ts';
import { bundleExportRow, findingExportRow, findingsCsv, findingsGeoJson } from '../../analysis/export.ts';
import type { AnalysisScope } from '../../analysis/findings.ts';
import { bundlesFor, findingsFor } from '../../analysis/for-caller.ts';
import { RulesChange, loadRules, saveRules } from '../../analysis/store.ts';
import type { Pool } from '../../db/pool.ts';
import { ANALYSED_STATUSES, FINDING_TYPES } from '../../model/analysis-rules.ts';
import { forbidden, principalOf } from '../auth.ts';
import { HttpError, badRequest } from '../errors.ts';
import { parseBody } from '../validate.ts';
import { parseBbox } from './datasets.ts';

const single = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function parseScope(query: Record<string, unknown>): AnalysisScope {
  const bbox = single(query.bbox);
  const area = single(query.area);
  const works = single(query.works);
  if (bbox !== undefined && area !== undefined) throw badRequest('invalid_scope', 'give bbox or area, not both');
  if (area !== undefined && !/^GM\d{4}$/.test(area)) throw badRequest('invalid_area', `area must be a CBS municipality code such as GM1641, not "${area}"`);
  let workIds: number[] | undefined;
  if (works !== undefined) {
    workIds = works.split(',').map((w) => Number(w.trim()));
    if (workIds.length === 0 || workIds.length > 1000 || !workIds.every((n) => Number.isInteger(n) && n > 0)) {
      throw badRequest('invalid_works', 'works must be a comma-separated list of up to 1000 work ids');
    }
  }
  return { bbox: bbox === undefined ? undefined : parseBbox(bbox), areaCode: area, workIds };
}

function exportFormat(query: Record<string, unknown>): 'geojson' | 'csv' {
  const f = single(query.format) ?? 'geojson';
  if (f !== 'geojson' && f !== 'csv') throw badRequest('invalid_format', 'format must be geojson or csv');
  return f;
}

export function analysisRouter(pool: Pool): Router {
  const router = Router();

  router.get('/api/analysis/findings', async (req, res) => {
    const started = performance.now();
    const findings = await findingsFor(pool, policyParams(principalOf(res)), parseScope(req.query));
    const counts = Object.fromEntries(FINDING_TYPES.map((t) => [t, findings.filter((f) => f.type === t).length]));
    res.set('Cache-Control', 'private, no-cache').json({ findings, counts, rules: await loadRules(pool), ms: Math.round(performance.now() - started) });
  });

  router.get('/api/analysis/bundles', async (req, res) => {
    res.set('Cache-Control', 'private, no-cache').json({ bundles: await bundlesFor(pool, policyParams(principalOf(res)), parseScope(req.query)) });
  });

  router.get('/api/analysis/findings/export', async (req, res) => {
    const format = exportFormat(req.query);
    const findings = await findingsFor(pool, policyParams(principalOf(res)), parseScope(req.query));
    await sendExport(pool, res, 'bevindingen', format, findings.map(findingExportRow));
  });

  router.get('/api/analysis/bundles/export', async (req, res) => {
    const format = exportFormat(req.query);
    const bundles = await bundlesFor(pool, policyParams(principalOf(res)), parseScope(req.query));
    await sendExport(pool, res, 'bundels', format, bundles.map(bundleExportRow));
  });

  router.get('/api/analysis/rules', async (_req, res) => {
    res.set('Cache-Control', 'private, no-cache').json(await loadRules(pool));
  });

  router.put('/api/analysis/rules', async (req, res) => {
    const p = principalOf(res);
    if (!p.partner || p.role !== 'admin' || p.scope !== 'write') throw forbidden(p, 'only an administrator changes the analysis rules');
    const change = parseBody(RulesChange, req.body);
    res.json(await saveRules(pool, change));
  });

  return router;
}

async function sendExport(pool: Pool, res: Response, name: string, format: 'geojson' | 'csv', rows: Parameters<typeof findingsCsv>[0]): Promise<void> {
  res.set({ 'Cache-Control': 'no-store', 'Content-Disposition': `attachment; filename="samenhang-${name}.${format === 'csv' ? 'csv' : 'geojson'}"` });
  if (format === 'csv') res.type('text/csv; charset=utf-8').send(findingsCsv(rows));
  else res.type('application/geo+json').send(JSON.stringify(await findingsGeoJson(pool, rows)));
}

const MAX_INPUT_ASSETS = 50_000;

/**
 * `GET /api/analysis/input?bbox=…`: what the browser's live what-if needs to run the same rules
 * (model/analysis/local.ts): the planned works touching the box, the moratoria and the assets with
 * a known age within reach of them, in the metric working CRS (full precision), as the caller may
 * see them.
 */
export function analysisInputRouter(pool: Pool): Router {
  const router = Router();
  router.get('/api/analysis/input', async (req, res) => {
    const scope = parseScope(req.query);
    if (!scope.bbox) throw badRequest('bbox_required', 'bbox is required: the what-if runs on the works in view');
    const policy = policyParams(principalOf(res));
    const rules = await loadRules(pool);
    const box = `ST_Transform(ST_MakeEnvelope($6, $7, $8, $9, 4326), (SELECT value::int FROM app_setting WHERE key = 'working_srid'))`;
    const geo = (a: string) => `ST_AsGeoJSON(${a}.geom, 15)::json AS geometry`;
    const params = [...policy, ...scope.bbox, ANALYSED_STATUSES];
    const works = await pool.query(
      `SELECT w.id::int AS id, w.kind, w.owner_id AS "ownerId", w.systems, w.opens_ground AS "opensGround", w.trench_width AS "trenchWidth",
         ST_Dimension(w.geom) = 2 AS areal, w.status, w.earliest_start::text AS "earliestStart", w.preferred_start::text AS "preferredStart",
         w.preferred_end::text AS "preferredEnd", w.latest_end::text AS "latestEnd", ${geo('w')}
       FROM work w WHERE w.geom && ${box} AND w.status = ANY($10::text[]) AND w.preferred_start IS NOT NULL AND w.preferred_end IS NOT NULL AND w.source_kind <> 'klic'
         AND ${readableSql('w', 'w.confidentiality', 'w.owner_id', 'NULL::int', 1)}`, params);
    const reach = Math.max(rules.defaultTrenchWidthM, 10) + rules.couplingDistanceM + 50;
    const moratoria = await pool.query(
      `SELECT m.id::int AS id, m.valid_from::text AS "from", m.valid_until::text AS until, m.exceptions, ${geo('m')}
       FROM moratorium m WHERE ST_DWithin(m.geom, ${box}, $10) AND ${moratoriumReadableSql(1)}`, [...policy, ...scope.bbox, reach]);
    const assets = await pool.query(
      `SELECT a.id::int AS id, a.system, a.owner_id AS "ownerId", a.material, a.in_service_year AS "inServiceYear", a.replacement_year AS "replacementYear", ${geo('a')}
       FROM asset a JOIN dataset d ON d.id = a.dataset_id
       WHERE ST_DWithin(a.geom, ${box}, $10) AND (a.in_service_year IS NOT NULL OR a.replacement_year IS NOT NULL) AND ${assetReadableSql(1)}
       LIMIT ${MAX_INPUT_ASSETS + 1}`, [...policy, ...scope.bbox, reach]);
    if (assets.rows.length > MAX_INPUT_ASSETS) throw new HttpError(413, 'too_large', `more than ${MAX_INPUT_ASSETS} dated assets in view: zoom in for the what-if`);
    res.set('Cache-Control', 'private, no-cache').json({ rules, works: works.rows, moratoria: moratoria.rows, assets: assets.rows });
  });
  return router;
}
