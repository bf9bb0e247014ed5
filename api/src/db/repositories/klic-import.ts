import { createHash } from 'node:crypto';
import type { KlicAsset, KlicDelivery, KlicWork } from '../../ingest/klic/types.ts';
import type { Client } from '../pool.ts';
import { upsertKlicOrganisations, upsertNamedOrganisation } from './organisations.ts';

export interface UpsertCounts {
  new: number;
  updated: number;
  unchanged: number;
}

export interface KlicImportStats {
  datasetId: number;
  assets: UpsertCounts;
  works: UpsertCounts;
}

const BATCH = 2000;

function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** Same gml:id twice in one delivery would make ON CONFLICT touch a row twice: keep the last. */
function uniqueBySourceId<T extends { sourceId: string }>(items: readonly T[]): T[] {
  return [...new Map(items.map((i) => [i.sourceId, i])).values()];
}

async function upsertDataset(client: Client, delivery: KlicDelivery, sha256: string): Promise<number> {
  const res = await client.query<{ id: number }>(
    `INSERT INTO dataset (name, source_kind, source_ref, content_sha256, confidentiality)
     VALUES ($1, 'klic', $2, $3, 'C3')
     ON CONFLICT (source_kind, source_ref) DO UPDATE
       SET content_sha256 = EXCLUDED.content_sha256, imported_at = now()
     RETURNING id`,
    [`KLIC-levering ${delivery.klicMeldnummer}`, delivery.fileName, sha256],
  );
  const id = res.rows[0]?.id;
  if (id === undefined) throw new Error('dataset insert returned no id');
  return id;
}

function assetRow(a: KlicAsset, datasetId: number, owners: Map<string, number>) {
  return {
    source_id: a.sourceId,
    dataset_id: datasetId,
    system: a.system,
    owner_id: owners.get(a.ownerCode) ?? null,
    asset_class: a.featureType,
    theme: a.theme,
    status: a.status,
    in_service_date: a.inServiceDate,
    material: a.material,
    diameter_mm: a.diameterMm,
    voltage_v: a.voltageV,
    pressure_bar: a.pressureBar,
    label: a.label,
    attributes: a.attributes,
    // Geometry is compared spatially, not by hash: KLIC clips centrelines to each request area,
    // so the same gml:id arrives with different pieces of the same line in overlapping deliveries.
    content_hash: contentHash({ ...a, geometry: null }),
    geometry: a.geometry,
  };
}

/**
 * Insert new assets, update changed ones, leave identical ones alone. An asset is changed when
 * its attributes differ (content hash) or the delivered geometry is not already covered by the
 * stored one (within 1 cm); lines are then merged with what is stored, so a pipe seen clipped in
 * two deliveries ends up whole. RETURNING yields only inserted or really updated rows. KLIC assets
 * live in the shared partition, whose unique (source_kind, source_id) index is the upsert key.
 */
async function upsertAssets(client: Client, rows: ReturnType<typeof assetRow>[], srid: number): Promise<UpsertCounts> {
  const counts: UpsertCounts = { new: 0, updated: 0, unchanged: 0 };
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const res = await client.query<{ inserted: boolean }>(
      `INSERT INTO asset_shared AS asset (source_kind, source_id, dataset_id, system, owner_id, asset_class, theme, status,
         in_service_date, in_service_year, material, diameter_mm, voltage_v, pressure_bar, label, attributes, content_hash, geom)
       SELECT 'klic', r.source_id, r.dataset_id, r.system, r.owner_id, r.asset_class, r.theme, r.status,
         r.in_service_date, klic_in_service_year(r.in_service_date), r.material, r.diameter_mm, r.voltage_v, r.pressure_bar, r.label,
         coalesce(r.attributes, '{}'::json), r.content_hash,
         ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), $2)
       FROM jsonb_to_recordset($1::jsonb) AS r(source_id text, dataset_id int, system text, owner_id int,
         asset_class text, theme text, status text, in_service_date date, material text, diameter_mm float8,
         voltage_v float8, pressure_bar float8, label text, attributes json, content_hash text, geometry jsonb)
       ON CONFLICT (source_kind, source_id) DO UPDATE SET
         dataset_id = EXCLUDED.dataset_id, system = EXCLUDED.system, owner_id = EXCLUDED.owner_id,
         asset_class = EXCLUDED.asset_class, theme = EXCLUDED.theme, status = EXCLUDED.status,
         in_service_date = EXCLUDED.in_service_date, in_service_year = EXCLUDED.in_service_year, material = EXCLUDED.material,
         diameter_mm = EXCLUDED.diameter_mm, voltage_v = EXCLUDED.voltage_v, pressure_bar = EXCLUDED.pressure_bar,
         label = EXCLUDED.label, attributes = EXCLUDED.attributes, content_hash = EXCLUDED.content_hash,
         geom = CASE
           WHEN ST_Covers(ST_Buffer(asset.geom, 0.01), EXCLUDED.geom) THEN asset.geom
           WHEN ST_Dimension(EXCLUDED.geom) = 1 AND ST_Dimension(asset.geom) = 1
             THEN ST_LineMerge(ST_Union(asset.geom, EXCLUDED.geom))
           ELSE EXCLUDED.geom END,
         updated_at = now()
       WHERE asset.content_hash IS DISTINCT FROM EXCLUDED.content_hash
          OR NOT ST_Covers(ST_Buffer(asset.geom, 0.01), EXCLUDED.geom)
       RETURNING (xmax = 0) AS inserted`,
      [JSON.stringify(batch), srid],
    );
    const inserted = res.rows.filter((r) => r.inserted).length;
    counts.new += inserted;
    counts.updated += res.rows.length - inserted;
    counts.unchanged += batch.length - res.rows.length;
  }
  return counts;
}

async function upsertWorks(client: Client, works: KlicWork[], datasetId: number, srid: number): Promise<UpsertCounts> {
  const counts: UpsertCounts = { new: 0, updated: 0, unchanged: 0 };
  for (const w of works) {
    const ownerId = w.requester ? await upsertNamedOrganisation(client, w.requester) : null;
    const res = await client.query<{ inserted: boolean }>(
      `INSERT INTO work (source_kind, source_id, dataset_id, owner_id, title, kind, work_kinds, request_type,
         description, street, place, start_date, end_date, request_date, attributes, content_hash, geom,
         preferred_start, preferred_end)
       VALUES ('klic', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::date, $12::date, $13, $14, $15,
         ST_SetSRID(ST_GeomFromGeoJSON($16), $17), $11::date, coalesce($12::date, $11::date))
       ON CONFLICT (source_kind, source_id) DO UPDATE SET
         dataset_id = EXCLUDED.dataset_id, owner_id = EXCLUDED.owner_id, title = EXCLUDED.title, kind = EXCLUDED.kind,
         work_kinds = EXCLUDED.work_kinds, request_type = EXCLUDED.request_type, description = EXCLUDED.description,
         street = EXCLUDED.street, place = EXCLUDED.place, start_date = EXCLUDED.start_date,
         end_date = EXCLUDED.end_date, request_date = EXCLUDED.request_date, attributes = EXCLUDED.attributes,
         preferred_start = EXCLUDED.preferred_start, preferred_end = EXCLUDED.preferred_end, version = work.version + 1,
         content_hash = EXCLUDED.content_hash, geom = EXCLUDED.geom, updated_at = now()
       WHERE work.content_hash IS DISTINCT FROM EXCLUDED.content_hash
       RETURNING (xmax = 0) AS inserted`,
      [w.sourceId, datasetId, ownerId, w.title, w.workKinds[0] ?? null, w.workKinds, w.requestType, w.description,
        w.street, w.place, w.startDate, w.endDate, w.requestDate,
        JSON.stringify({ klicMeldnummer: w.klicMeldnummer, requester: w.requester }), contentHash(w),
        JSON.stringify(w.geometry), srid],
    );
    const row = res.rows[0];
    if (!row) counts.unchanged += 1;
    else if (row.inserted) counts.new += 1;
    else counts.updated += 1;
  }
  return counts;
}

/** Write one parsed delivery inside the caller's transaction. */
export async function writeKlicDelivery(
  client: Client,
  delivery: KlicDelivery,
  sha256: string,
  srid: number,
): Promise<KlicImportStats> {
  const owners = await upsertKlicOrganisations(client, delivery.organisations);
  const datasetId = await upsertDataset(client, delivery, sha256);
  const rows = uniqueBySourceId(delivery.assets).map((a) => assetRow(a, datasetId, owners));
  const assets = await upsertAssets(client, rows, srid);
  const works = await upsertWorks(client, uniqueBySourceId(delivery.works), datasetId, srid);
  const stats = { datasetId, assets, works };
  await client.query('UPDATE dataset SET stats = $2 WHERE id = $1', [datasetId, JSON.stringify({ assets, works, skipped: delivery.skipped })]);
  return stats;
}
