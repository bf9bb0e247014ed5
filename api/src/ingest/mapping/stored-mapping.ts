import type { Pool } from '../../db/pool.ts';
import { AssetMapping } from '../../model/asset-mapping.ts';

export interface StoredLayer {
  layerName: string;
  mapping: AssetMapping;
}

/**
 * The layer an earlier import of this file's layer went into, with the mapping used then: found
 * by the layer name the analyst gave it or by the layer's name inside the file (same owner when
 * given). A newer file of the same layer is proposed the same name and mapping, so it updates.
 */
export async function storedLayer(pool: Pool, name: string, ownerId?: number): Promise<StoredLayer | null> {
  const r = await pool.query<{ mapping: unknown; layer_name: string }>(
    `SELECT mapping, layer_name FROM dataset
     WHERE source_kind = 'file' AND (layer_name = $1 OR source_layer = $1) AND mapping IS NOT NULL
       AND ($2::int IS NULL OR owner_id = $2)
     ORDER BY (layer_name = $1) DESC, imported_at DESC LIMIT 1`,
    [name, ownerId ?? null],
  );
  const row = r.rows[0];
  const parsed = AssetMapping.safeParse(row?.mapping);
  return row && parsed.success ? { layerName: row.layer_name, mapping: parsed.data } : null;
}
