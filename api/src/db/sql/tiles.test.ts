import { describe, expect, it } from 'vitest';
import { TILE_LAYERS, type TileVariant } from './tiles.ts';

const drinkwater = TILE_LAYERS.get('drinkwater');
const levelOf = (z: number, variant: TileVariant): string | null => drinkwater?.overview?.(z, variant)?.match(/v\.level = (\d)/)?.[1] ?? null;

describe('network tile encodings (decision 121)', () => {
  it('draws a lean tile from the overview level of the zoom below and a merged one from the next coarser, level 3 the coarsest', () => {
    const zooms = [13, 12, 11, 10, 9, 5];
    expect(zooms.map((z) => levelOf(z, 'full'))).toEqual(['1', '1', '2', '2', '3', '3']);
    expect(zooms.map((z) => levelOf(z, 'lean'))).toEqual(['1', '2', '2', '3', '3', '3']);
    expect(zooms.map((z) => levelOf(z, 'merged'))).toEqual(['2', '3', '3', '3', '3', '3']);
    // single features from z14 on, whatever the encoding
    for (const v of ['full', 'lean', 'merged'] as const) expect(drinkwater?.overview?.(14, v)).toBeNull();
    // the features of a tile are counted at the lean level
    expect(zooms.map((z) => drinkwater?.overviewCountSql?.(z).match(/v\.level = (\d)/)?.[1])).toEqual(['1', '2', '2', '3', '3', '3']);
  });

  it('writes the fields of a full tile only: lean and merged carry the asset id as feature id, or nothing', () => {
    const lean = drinkwater?.variants?.lean ?? '';
    const merged = drinkwater?.variants?.merged ?? '';
    expect(drinkwater?.sql).toMatch(/a\.asset_class AS feature_type, o\.name AS owner/);
    expect(lean).toMatch(/SELECT a\.id AS fid,\s+ST_AsMVTGeom/);
    expect(lean).not.toMatch(/organisation|feature_type/);
    expect(merged).toMatch(/ST_Collect/);
    expect(merged).not.toMatch(/'fid'|a\.id/);
    // the lean overview keeps a density cell's fields, not its owner or counts
    const overview = drinkwater?.overview?.(12, 'lean') ?? '';
    expect(overview).toMatch(/AS m_per_ha/);
    expect(overview).not.toMatch(/AS owner|AS length_m/);
    // layers other than the networks have no variants
    expect(TILE_LAYERS.get('works')?.variants).toBeUndefined();
  });
});
