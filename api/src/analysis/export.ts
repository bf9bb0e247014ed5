/**
 * Findings and bundles as files (issue 6): GeoJSON (WGS84; the geometry is the works involved,
 * collected) and CSV (one row each, every metric in its own column, lists separated by `;`).
 */
import type { Pool } from '../db/pool.ts';
import type { Metrics } from '../model/analysis/finding.ts';
import type { Bundle } from './bundles.ts';
import type { StoredFinding } from './read.ts';

export interface ExportRow {
  id: string;
  type: string;
  works: number[];
  assets: number[];
  moratorium: number | null;
  metrics: Metrics;
  rule: Record<string, number | string>;
  decision: string | null;
}

/** A finding as the exports (and the OGC API's findings collection) write it. */
export const findingExportRow = (f: StoredFinding): ExportRow => ({ ...f, decision: f.decision?.decision ?? null });

/** A bundle as the exports (and the OGC API's bundles collection) write it. */
export const bundleExportRow = (b: Bundle): ExportRow => ({
  id: b.id, type: 'bundle', works: b.works, assets: [], moratorium: null,
  metrics: { ...b.metrics, organisations: b.organisations.join('; '), common_start: b.commonWindow.start, common_end: b.commonWindow.end },
  rule: {}, decision: b.decision?.decision ?? null,
});

/** The GeoJSON properties of an exported finding or bundle. */
export const exportProperties = (f: ExportRow): Record<string, unknown> => ({
  id: f.id, type: f.type, works: f.works, assets: f.assets, moratorium: f.moratorium, decision: f.decision, ...f.metrics, rule: f.rule,
});

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(';') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export function findingsCsv(rows: readonly ExportRow[]): string {
  const metricKeys = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].sort();
  const head = ['id', 'type', 'works', 'assets', 'moratorium', 'decision', ...metricKeys, 'rule'];
  const lines = rows.map((r) => [r.id, r.type, r.works, r.assets, r.moratorium, r.decision, ...metricKeys.map((k) => r.metrics[k]), r.rule].map(csvCell).join(','));
  return `${[head.join(','), ...lines].join('\r\n')}\r\n`;
}

export async function findingsGeoJson(pool: Pick<Pool, 'query'>, rows: readonly ExportRow[]): Promise<unknown> {
  const ids = [...new Set(rows.flatMap((r) => r.works))];
  const r = await pool.query<{ id: number; geometry: unknown }>(
    `SELECT w.id::int AS id, ST_AsGeoJSON(ST_Transform(w.geom, 4326), 7)::json AS geometry FROM work w WHERE w.id = ANY($1::bigint[])`, [ids]);
  const geometryOf = new Map(r.rows.map((row) => [row.id, row.geometry]));
  return {
    type: 'FeatureCollection',
    features: rows.map((f) => {
      const parts = f.works.map((w) => geometryOf.get(w)).filter((g) => g !== undefined);
      return {
        type: 'Feature', id: f.id,
        geometry: parts.length === 1 ? parts[0] : { type: 'GeometryCollection', geometries: parts },
        properties: exportProperties(f),
      };
    }),
  };
}
