/**
 * The SYNTHETIC city's network layers go into the database through the product's own import path
 * (issue 9 §1): `loadSource`, the function behind `npm run import` and the web import, with its
 * mapping, geometry checks, COPY, indexes, partition swap and low-zoom overview. The generator
 * writes each layer's rows into a staging table first (its seeded SQL is the fast way to make a
 * million features); this module reads them back as an import source, as a GeoPackage reader
 * would hand them over (attributes + WKB), so nothing of the load is skipped.
 */
import pg from 'pg';
import { loadSource } from '../../api/src/ingest/load/load-layer.ts';
import { LazyWkbFeature } from '../../api/src/ingest/formats/wkb.ts';
import type { OpenedSource, SourceFeature } from '../../api/src/ingest/formats/types.ts';
import type { AssetMapping } from '../../api/src/model/asset-mapping.ts';
import type { ImportReport } from '../../api/src/ingest/load/report.ts';
import type { SystemCode } from '../../api/src/model/systems.ts';
import { createPool } from '../../api/src/db/pool.ts';

/** The source's fields: the generator's columns, named as a utility's export might name them. */
const FIELDS = ['source_id', 'system', 'asset_class', 'status', 'material', 'diameter_mm', 'in_service_year', 'replacement_year', 'condition', 'label'] as const;
const BATCH = 5000;

export interface StagedLayer {
  /** dataset (layer) name */
  name: string;
  ownerId: number;
  /** the staging table the generator filled */
  stage: string;
  systems: readonly SystemCode[];
  rows: number;
}

/** Each column to the asset field of the same meaning; the system from the `system` column when the layer holds several. */
export function stagedMapping(systems: readonly SystemCode[]): AssetMapping {
  const [only] = systems;
  return {
    system: systems.length === 1 && only ? { value: only } : { field: 'system', map: Object.fromEntries(systems.map((s) => [s, s])), fallback: 'overig' },
    sourceId: { field: 'source_id' }, assetClass: { field: 'asset_class' }, owner: null, material: { field: 'material' },
    diameterMm: { field: 'diameter_mm' }, inServiceYear: { field: 'in_service_year' }, status: { field: 'status' },
    condition: { field: 'condition' }, replacementYear: { field: 'replacement_year' }, label: { field: 'label' },
  };
}

function stagedSource(url: string, layer: StagedLayer): OpenedSource {
  const client = new pg.Client({ connectionString: url, application_name: 'samenhang-bench-stage-read' });
  let open = false;
  return {
    format: 'geopackage', fileName: `${layer.stage} (SYNTHETIC staging table)`, layerName: layer.name,
    crs: { epsg: 28992, source: 'option', guessed: false, detail: 'generated in EPSG:28992' },
    fields: FIELDS.map((name) => ({ name, type: name.endsWith('_mm') || name.endsWith('_year') ? 'number' : 'string' })),
    featureCountHint: layer.rows,
    async *features() {
      await client.connect();
      open = true;
      await client.query(`SELECT set_config('samenhang.system', 'on', false)`);
      await client.query('BEGIN');
      await client.query(`DECLARE stage_rows NO SCROLL CURSOR FOR SELECT ${FIELDS.join(', ')}, encode(ST_AsBinary(geom), 'hex') AS wkb FROM ${layer.stage} ORDER BY id`);
      let index = 0;
      for (;;) {
        const r = await client.query<Record<string, string | number | null>>(`FETCH ${BATCH} FROM stage_rows`);
        if (r.rows.length === 0) break;
        yield r.rows.map((row): SourceFeature => {
          const properties: Record<string, string | number | null> = {};
          for (const f of FIELDS) properties[f] = row[f] ?? null;
          return new LazyWkbFeature(++index, properties, String(row.wkb));
        });
      }
      await client.query('COMMIT');
    },
    progress: () => ({ bytesRead: 0, bytesTotal: 0 }),
    close: async () => {
      if (open) await client.end();
    },
  };
}

/** Import one staged layer with the product's loader (overview included), then drop the staging table. */
export async function importStagedLayer(url: string, layer: StagedLayer): Promise<ImportReport> {
  const pool = createPool(url, 2);
  const source = stagedSource(url, layer);
  try {
    const report = await loadSource(pool, source, {
      srid: 28992, mapping: stagedMapping(layer.systems), layerName: layer.name, invalid: 'skip', ownerId: layer.ownerId, datasetOwnerId: layer.ownerId,
    });
    if (report.loaded !== layer.rows) throw new Error(`${layer.name}: the import loaded ${report.loaded} of ${layer.rows} staged rows (rejected ${report.rejectedCount})`);
    await pool.query(`DROP TABLE ${layer.stage}`);
    return report;
  } finally {
    await source.close();
    await pool.end();
  }
}
