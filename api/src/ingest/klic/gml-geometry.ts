/**
 * Collects one GML 3.2 geometry from SAX events: coordinate sequences (gml:pos / gml:posList) with
 * their ring role and member index, honouring srsDimension (2 or 3; only x,y are kept).
 */
import type { SaxesTagNS } from 'saxes';
import type { RawGeometry, RawPart } from './raw.ts';
import { ABSURD } from '../load/encode-geometry.ts';

const GEOMETRY_ELEMENTS: ReadonlySet<string> = new Set([
  'Point',
  'LineString',
  'LinearRing',
  'Ring',
  'Polygon',
  'Curve',
  'OrientableCurve',
  'CompositeCurve',
  'Surface',
  'MultiPoint',
  'MultiCurve',
  'MultiLineString',
  'MultiSurface',
  'MultiPolygon',
  'MultiGeometry',
]);

const SEQUENCE_ELEMENTS: ReadonlySet<string> = new Set(['LineString', 'LinearRing', 'LineStringSegment']);

/** True for the local name of a GML geometry element that can start a geometry property value. */
export function isGeometryElement(local: string): boolean {
  return GEOMETRY_ELEMENTS.has(local);
}

function plainAttr(tag: SaxesTagNS, local: string): string | null {
  for (const a of Object.values(tag.attributes)) {
    if (a.local === local && a.uri === '') return a.value;
  }
  return null;
}

function parseDimension(value: string | null): number | null {
  if (value === null) return null;
  const n = Number(value);
  return Number.isInteger(n) ? n : NaN;
}

interface CoordElement {
  local: 'pos' | 'posList';
  dimension: number | null;
  text: string;
}

export class GeometryBuilder {
  private readonly parts: RawPart[] = [];
  private readonly kind: string;
  private srsName: string | null;
  private dimension: number | null;
  private member = 0;
  private membersSeen = 0;
  private role: 'exterior' | 'interior' | null = null;
  private inPoint = false;
  private coord: CoordElement | null = null;
  /** open line/ring being built from successive gml:pos elements */
  private sequence: RawPart | null = null;

  constructor(
    private readonly property: string,
    root: SaxesTagNS,
    private readonly fail: (problem: string) => Error,
  ) {
    this.kind = root.local;
    this.srsName = plainAttr(root, 'srsName');
    this.dimension = parseDimension(plainAttr(root, 'srsDimension'));
    this.inPoint = root.local === 'Point';
  }

  open(tag: SaxesTagNS, parent: string): void {
    const local = tag.local;
    this.srsName ??= plainAttr(tag, 'srsName');
    this.dimension ??= parseDimension(plainAttr(tag, 'srsDimension'));
    if (local.endsWith('Member') || parent.endsWith('Members')) this.nextMember();
    if (local === 'exterior' || local === 'interior') this.role = local;
    if (local === 'Point') this.inPoint = true;
    if (SEQUENCE_ELEMENTS.has(local)) this.sequence = null;
    if (local === 'pos' || local === 'posList') {
      this.coord = { local, dimension: parseDimension(plainAttr(tag, 'srsDimension')), text: '' };
    }
  }

  text(text: string): void {
    if (this.coord) this.coord.text += text;
  }

  close(local: string): void {
    if ((local === 'pos' || local === 'posList') && this.coord) {
      this.flush(this.coord);
      this.coord = null;
    } else if (local === 'exterior' || local === 'interior') {
      this.role = null;
      this.sequence = null;
    } else if (local === 'Point') {
      this.inPoint = false;
    }
  }

  finish(): RawGeometry {
    return { property: this.property, kind: this.kind, srsName: this.srsName, parts: this.parts };
  }

  private nextMember(): void {
    if (this.membersSeen > 0) this.member += 1;
    this.membersSeen += 1;
    this.sequence = null;
  }

  private flush(coord: CoordElement): void {
    const coords = this.toXY(coord);
    if (coord.local === 'posList') {
      this.parts.push({ role: this.role ?? 'line', member: this.member, coords });
      this.sequence = null;
    } else if (this.inPoint) {
      this.parts.push({ role: 'point', member: this.member, coords });
    } else {
      if (!this.sequence) {
        this.sequence = { role: this.role ?? 'line', member: this.member, coords: [] };
        this.parts.push(this.sequence);
      }
      this.sequence.coords.push(...coords);
    }
  }

  /** Split the number list by srsDimension and keep x,y. */
  private toXY(coord: CoordElement): [number, number][] {
    const raw = coord.text.trim();
    const numbers = raw === '' ? [] : raw.split(/\s+/).map(Number);
    const fallback = coord.local === 'pos' && (numbers.length === 2 || numbers.length === 3) ? numbers.length : 2;
    const dim = coord.dimension ?? this.dimension ?? fallback;
    if (dim !== 2 && dim !== 3) throw this.fail(`unsupported srsDimension ${dim} (expected 2 or 3)`);
    if (numbers.length === 0 || numbers.length % dim !== 0) {
      throw this.fail(`gml:${coord.local} has ${numbers.length} numbers, not a multiple of srsDimension ${dim}`);
    }
    if (numbers.some((n) => !Number.isFinite(n))) throw this.fail(`gml:${coord.local} contains a non-numeric value`);
    const out: [number, number][] = [];
    for (let i = 0; i < numbers.length; i += dim) out.push([numbers[i] ?? NaN, numbers[i + 1] ?? NaN]);
    // an absurd coordinate is damage, not data: the generic loader rejects it too (encode-geometry.ts)
    // (hostile-files chaos run, issue 10: y = 1e15 in a delivery overflowed the layer overview as a 500)
    const absurd = out.find(([x, y]) => Math.abs(x) > ABSURD || Math.abs(y) > ABSURD);
    if (absurd) throw this.fail(`gml:${coord.local} holds the coordinate ${absurd[0]} ${absurd[1]}, which is no position in RD New (EPSG:28992)`);
    return out;
  }
}
