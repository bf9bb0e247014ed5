/**
 * The compact, per-featureMember records the streaming GML reader hands to the mapper.
 * Only what the mapper needs is kept: leaf values (text / xlink:href / xsi:nil / uom) and geometries.
 */

/** A leaf element inside a feature (no child elements). */
export interface RawLeaf {
  /** local names from the feature down to the leaf, joined by '/', e.g. `currentStatus`, `locatieWerkzaamheden/Adres/openbareRuimteNaam` */
  path: string;
  /** trimmed text content ('' when empty) */
  text: string;
  /** xlink:href, when present */
  href: string | null;
  /** xsi:nil="true" */
  nil: boolean;
  /** uom attribute, when present */
  uom: string | null;
}

export type RawPartRole = 'point' | 'line' | 'exterior' | 'interior';

/** One coordinate sequence (gml:pos or gml:posList) of a geometry, already reduced to x,y. */
export interface RawPart {
  role: RawPartRole;
  /** index of the gml:*Member (surfaceMember, curveMember, ...) it belongs to; 0 for simple geometries */
  member: number;
  coords: [number, number][];
}

export interface RawGeometry {
  /** local name of the feature property holding it, e.g. `centrelineGeometry`, `geometry`, `geometrie` */
  property: string;
  /** local name of the outermost GML geometry element: Point, LineString, Polygon, MultiSurface, ... */
  kind: string;
  /** srsName of the geometry (outermost one that has it); null when absent */
  srsName: string | null;
  parts: RawPart[];
}

export interface RawFeature {
  /** local name of the feature element, e.g. Elektriciteitskabel, UtilityLink, Beheerder */
  type: string;
  /** gml:id */
  id: string;
  /** line of the feature's start tag in the GML (for messages) */
  line: number;
  leaves: RawLeaf[];
  geometries: RawGeometry[];
}

export interface ParsedGml {
  /** features collected in document order */
  features: RawFeature[];
  /** feature types counted but not collected (Maatvoering, Annotatie, ...) */
  skipped: Record<string, number>;
}

/** Last path segment of a URI (code-list value), e.g. `.../ConditionOfFacilityValue/functional` → `functional`. */
export function lastSegment(uri: string): string {
  const trimmed = uri.replace(/[/#]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('#'));
  return cut >= 0 ? trimmed.slice(cut + 1) : trimmed;
}

/** First leaf with this path. */
export function leaf(feature: RawFeature, path: string): RawLeaf | undefined {
  return feature.leaves.find((l) => l.path === path);
}

/** All leaves with this path, in document order. */
export function leaves(feature: RawFeature, path: string): RawLeaf[] {
  return feature.leaves.filter((l) => l.path === path);
}

/** Text of the first leaf with this path, or null when absent, nil or empty. */
export function leafText(feature: RawFeature, path: string): string | null {
  const l = leaf(feature, path);
  if (!l || l.nil || l.text === '') return null;
  return l.text;
}

/** Last segment of the xlink:href of the first leaf with this path (code-list value), or null. */
export function leafCode(feature: RawFeature, path: string): string | null {
  const l = leaf(feature, path);
  return l?.href ? lastSegment(l.href) : null;
}

/** Date part (YYYY-MM-DD) of an xs:date / xs:dateTime value as written (no timezone shift), or null. */
export function datePart(value: string | null): string | null {
  if (!value) return null;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim());
  return m?.[1] ?? null;
}
