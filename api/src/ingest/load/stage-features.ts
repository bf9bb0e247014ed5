/**
 * Source features → rows for the staging table: reprojected to the working CRS, mapped onto the
 * asset model, checked before PostGIS parses them (NaN, unclosed rings, too few points, outside
 * the Netherlands). Rejected and repaired features are recorded with their feature number.
 */
import type { Geometry } from 'geojson';
import type { AssetMapping, InvalidPolicy } from '../../model/asset-mapping.ts';
import { applyMapping } from '../mapping/apply-mapping.ts';
import type { SourceFeature } from '../formats/types.ts';
import { checkGeometry, closeRings } from './geometry-checks.ts';
import { copyLine } from './copy-text.ts';
import type { IssueList } from './report.ts';
import { toHexEwkb } from './wkb.ts';

export const STAGE_COLUMNS = [
  'feature_no', 'source_id', 'system', 'owner_ref', 'asset_class', 'status', 'condition', 'material',
  'diameter_mm', 'in_service_year', 'replacement_year', 'label', 'attributes', 'geom',
] as const;

export interface StageContext {
  mapping: AssetMapping;
  policy: InvalidPolicy;
  srid: number;
  /** source CRS → working CRS; identity when they are the same */
  reproject: (g: Geometry) => Geometry;
  rejected: IssueList;
  repaired: IssueList;
  /** loaded, but something the analyst should know (e.g. a source id that is not unique) */
  attention: IssueList;
}

function reprojectSafely(ctx: StageContext, g: Geometry | null): Geometry | null {
  if (g === null) return null;
  try {
    return ctx.reproject(g);
  } catch {
    return g; // checkGeometry reports the coordinates that could not be projected
  }
}

/** One COPY line, or null when the feature is rejected. */
export function stageFeature(ctx: StageContext, f: SourceFeature): string | null {
  let geom = reprojectSafely(ctx, f.geometry);
  const problem = f.geometry === null && f.issue ? { reason: f.issue, repairable: false } : checkGeometry(geom, ctx.srid === 28992);
  if (problem) {
    if (!(problem.repairable && ctx.policy === 'repair' && geom)) {
      ctx.rejected.add(f.index, problem.reason);
      return null;
    }
    geom = closeRings(geom);
    ctx.repaired.add(f.index, `${problem.reason}: closed`);
  }
  if (!geom) return null;
  const m = applyMapping(ctx.mapping, f.properties, f.index);
  // Repeated ids are resolved in SQL after the COPY (DEDUPE_SOURCE_IDS): no per-file id set here.
  const sourceId = m.sourceId ?? `#${f.index}`;
  return copyLine([
    f.index, sourceId, m.system, m.owner, m.assetClass, m.status, m.condition, m.material,
    m.diameterMm, m.inServiceYear, m.replacementYear, m.label, JSON.stringify(f.properties), toHexEwkb(geom, ctx.srid),
  ]);
}
