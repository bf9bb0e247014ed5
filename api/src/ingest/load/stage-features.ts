/**
 * Source features → COPY rows of a layer's new partition: reprojected to the working CRS, mapped
 * onto the asset model, checked and encoded in one pass (encode-geometry.ts). Rejected and repaired
 * features are recorded with their feature number; what only PostGIS can judge is remembered so
 * that the database checks exactly those rows afterwards.
 */
import type { Geometry } from 'geojson';
import type { AssetMapping, InvalidPolicy } from '../../model/asset-mapping.ts';
import { reprojectGeometry } from '../crs/reproject.ts';
import { applyMapping, asText } from '../mapping/apply-mapping.ts';
import { type HeldField, heldFields, heldMask } from '../mapping/held-attributes.ts';
import { AttributesJson } from './attributes-json.ts';
import type { SourceFeature } from '../formats/types.ts';
import type { BinaryRows } from './copy-binary.ts';
import { type EncodedGeometry, type GeometryEncoder, geometryEncoder } from './encode-geometry.ts';
import { IssueList } from './report.ts';
import type { StageSetup } from './stage-protocol.ts';

export const LOAD_COLUMNS = [
  'feature_no', 'source_id', 'system', 'owner_id', 'asset_class', 'status', 'condition', 'material',
  'diameter_mm', 'in_service_year', 'replacement_year', 'label', 'attributes', 'geom',
] as const;

/** Lines that may lack two distinct points are listed up to this many; beyond it every row is checked. */
const MAX_LISTED_SUSPECTS = 10_000;

export interface StageContext {
  mapping: AssetMapping;
  policy: InvalidPolicy;
  /** `<dataset id>/`: source ids are namespaced by their layer */
  idPrefix: string;
  /** source CRS → working CRS; identity when they are the same */
  reproject: (g: Geometry) => Geometry;
  encode: GeometryEncoder;
  /** the source is in the working CRS: WKB from the reader can be copied as it is */
  sameCrs: boolean;
  /** the owner of every feature (the analyst's choice), or null to take it from the mapping */
  fixedOwner: number | null;
  /** owner reference from the data → organisation id; every reference is resolved before staging */
  ownerIds: ReadonlyMap<string, number>;
  /** organisation id → name, for the owner names `attributes` need not repeat */
  ownerNames: Map<number, string>;
  /** the source fields the model columns may hold (held-attributes.ts) */
  heldFields: readonly HeldField[];
  /** writes the properties the columns do not hold as the row's json (attributes-json.ts) */
  attributes: AttributesJson;
  rejected: IssueList;
  repaired: IssueList;
  /** loaded, but something the analyst should know (e.g. a source id that is not unique) */
  attention: IssueList;
  /** PostGIS must judge every row (polygonal geometries were staged, or too many suspects) */
  checkAll: boolean;
  /** feature numbers of lines PostGIS must judge */
  suspects: number[];
  /** sees every source id from the data: may one repeat? (then SQL renames the repeats; repeat-detector.ts) */
  repeats: { add(id: string): void };
}

/** How a load stages, without the owners it knows (they change while it runs). */
export type StagePlan = Omit<StageSetup, 'ownerIds' | 'ownerNames'>;

/** The staging context of a load, on its own thread or in a staging worker (stage-worker.ts). */
export function stageContext(plan: StagePlan, owners: { ids: Map<string, number>; names: Map<number, string> }, repeats: StageContext['repeats']): StageContext {
  const sameCrs = plan.sourceEpsg === plan.srid;
  return {
    mapping: plan.mapping, policy: plan.policy, idPrefix: plan.idPrefix, sameCrs,
    reproject: sameCrs ? (g) => g : (g) => reprojectGeometry(g, plan.sourceEpsg, plan.srid),
    encode: geometryEncoder(plan.srid, plan.policy === 'repair'), fixedOwner: plan.fixedOwner, ownerIds: owners.ids, ownerNames: owners.names,
    heldFields: heldFields(plan.mapping), attributes: new AttributesJson(), rejected: new IssueList(), repaired: new IssueList(), attention: new IssueList(), checkAll: false, suspects: [],
    repeats,
  };
}

function reprojectSafely(ctx: StageContext, g: Geometry | null): Geometry | null {
  if (g === null) return null;
  try {
    return ctx.reproject(g);
  } catch {
    return g; // the encoder reports the coordinates that could not be projected
  }
}

function noteDbCheck(ctx: StageContext, enc: EncodedGeometry, index: number): void {
  if (!enc.ok || enc.dbCheck === 'none' || ctx.checkAll) return;
  if (enc.dbCheck === 'area' || ctx.suspects.length >= MAX_LISTED_SUSPECTS) ctx.checkAll = true;
  else ctx.suspects.push(index);
}

/** what a worker's share of the features needs PostGIS to judge, added to the load's (parallel-stage.ts) */
export function mergeDbChecks(ctx: StageContext, suspects: readonly number[], checkAll: boolean): void {
  if (ctx.checkAll) return;
  if (checkAll || ctx.suspects.length + suspects.length > MAX_LISTED_SUSPECTS) ctx.checkAll = true;
  else ctx.suspects.push(...suspects);
}

/** Owner references in the batch that are no organisation yet. */
export function unknownOwners(ctx: StageContext, batch: readonly SourceFeature[]): string[] {
  const ref = ctx.mapping.owner;
  if (ctx.fixedOwner !== null || ref === null) return [];
  const unknown = new Set<string>();
  for (const f of batch) {
    const owner = asText('value' in ref ? ref.value : (f.properties[ref.field] ?? null));
    if (owner !== null && !ctx.ownerIds.has(owner)) unknown.add(owner);
  }
  return [...unknown];
}

function encode(ctx: StageContext, f: SourceFeature): EncodedGeometry | null {
  const fromWkb = !ctx.sameCrs ? null : f.wkbHex !== undefined ? ctx.encode.wkbHex(f.wkbHex) : f.wkb !== undefined ? ctx.encode.wkb(f.wkb) : null;
  if (fromWkb !== null) return fromWkb;
  return f.geometry === null && f.issue ? null : ctx.encode(reprojectSafely(ctx, f.geometry));
}

/** Write the feature's COPY row (LOAD_COLUMNS) into `out`; false (nothing written) when the feature is rejected. */
export function stageFeature(ctx: StageContext, f: SourceFeature, out: BinaryRows): boolean {
  const enc = encode(ctx, f);
  if (enc === null || !enc.ok) {
    ctx.rejected.add(f.index, enc === null ? (f.issue ?? 'Feature has no geometry') : enc.problem.reason);
    return false;
  }
  if (enc.closedRings) ctx.repaired.add(f.index, 'Polygon ring is not closed: closed');
  noteDbCheck(ctx, enc, f.index);
  const m = applyMapping(ctx.mapping, f.properties, f.index);
  const owner = ctx.fixedOwner ?? (m.owner === null ? null : (ctx.ownerIds.get(m.owner) ?? null));
  // Repeated ids are renamed in SQL after the COPY, only when the detector saw a possible repeat.
  if (m.sourceId !== null) ctx.repeats.add(m.sourceId);
  out.row(LOAD_COLUMNS.length).int4(f.index).text(ctx.idPrefix + (m.sourceId ?? `#${f.index}`)).text(m.system).int4(owner)
    .text(m.assetClass).text(m.status).text(m.condition).text(m.material).float8(m.diameterMm).int4(m.inServiceYear)
    .int4(m.replacementYear).text(m.label);
  const held = heldMask(f.properties, ctx.heldFields, { mapped: m, ownerName: owner === null ? null : (ctx.ownerNames.get(owner) ?? null) });
  ctx.attributes.write(out, f.properties, ctx.heldFields, held);
  out.bytes(enc.ewkb, enc.length).endRow();
  return true;
}
