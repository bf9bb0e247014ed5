/** The state of one import as the browser and the CLI see it. */
import type { FeatureCollection } from 'geojson';
import type { AssetMapping } from '../model/asset-mapping.ts';
import type { CrsInfo, FieldInfo, FormatId, PropertyValue } from '../ingest/formats/types.ts';
import type { ImportReport } from '../ingest/load/report.ts';

export type ImportState = 'analysing' | 'awaiting-mapping' | 'loading' | 'done' | 'failed' | 'cancelled';

export interface ImportJob {
  id: string;
  fileName: string;
  state: ImportState;
  format: FormatId | null;
  layerName: string | null;
  crs: CrsInfo | null;
  fields: FieldInfo[];
  featureCount: number | null;
  progress: { phase: 'analyse' | 'load'; parsed: number; loaded: number; total: number | null; percent: number };
  preview: FeatureCollection | null;
  sample: Record<string, PropertyValue>[];
  proposedMapping: { preset: string | null; mapping: AssetMapping } | null;
  invalid: { count: number; examples: { index: number; reason: string; location: [number, number] | null }[] };
  report: ImportReport | null;
  /** things the analyst should know before loading, e.g. a proposed id field that is not unique */
  warnings: string[];
  /** status: the HTTP status class of the problem (4xx = the file, 500 = us) */
  error: { code: string; message: string; where: string; status: number } | null;
}

export const TERMINAL: ReadonlySet<ImportState> = new Set(['done', 'failed', 'cancelled']);

export function newJob(id: string, fileName: string): ImportJob {
  return {
    id, fileName, state: 'analysing', format: null, layerName: null, crs: null, fields: [], featureCount: null,
    progress: { phase: 'analyse', parsed: 0, loaded: 0, total: null, percent: 0 },
    preview: null, sample: [], proposedMapping: null, invalid: { count: 0, examples: [] }, report: null, warnings: [], error: null,
  };
}

export function percent(done: number, total: number | null, bytes?: { bytesRead: number; bytesTotal: number }): number {
  if (total !== null && total > 0) return Math.min(100, Math.round((done / total) * 100));
  if (bytes && bytes.bytesTotal > 0) return Math.min(99, Math.round((bytes.bytesRead / bytes.bytesTotal) * 100));
  return 0;
}
