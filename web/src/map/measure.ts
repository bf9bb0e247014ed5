/**
 * Measuring what is being drawn: the length of a line (or a polygon's perimeter) in metres and
 * a polygon's area in m², geodesic (turf), and their display in Dutch or English ("124 m",
 * "1,2 km", "350 m²", "0,35 ha"). Pure.
 */
import { area as turfArea, length as turfLength, lineString } from '@turf/turf';
import type { LineString, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import type { Language } from '../i18n/index.ts';

export type MeasurableGeometry = LineString | MultiLineString | Polygon | MultiPolygon;

export interface Measure {
  kind: 'line' | 'area';
  /** Length of the line(s), or the perimeter of the polygon(s), in metres. */
  lengthM: number;
  /** Area in m²; null for lines. */
  areaM2: number | null;
}

const lineLength = (coordinates: Position[]): number =>
  coordinates.length < 2 ? 0 : turfLength(lineString(coordinates), { units: 'meters' });

/** Rings whose coordinates are fit to measure (a ring of fewer than 4 positions is still being drawn). */
const closedRings = (rings: Position[][]): Position[][] => rings.filter((r) => r.length >= 4);

function polygonArea(rings: Position[][]): number {
  const closed = closedRings(rings);
  return closed.length === 0 ? 0 : turfArea({ type: 'Polygon', coordinates: closed });
}

/** The length (and area) of a geometry; null for a geometry without coordinates. */
export function measureGeometry(geometry: MeasurableGeometry | null | undefined): Measure | null {
  if (!geometry) return null;
  switch (geometry.type) {
    case 'LineString':
      return { kind: 'line', lengthM: lineLength(geometry.coordinates), areaM2: null };
    case 'MultiLineString':
      return { kind: 'line', lengthM: sum(geometry.coordinates.map(lineLength)), areaM2: null };
    case 'Polygon':
      return { kind: 'area', lengthM: sum(geometry.coordinates.map(lineLength)), areaM2: polygonArea(geometry.coordinates) };
    case 'MultiPolygon':
      return {
        kind: 'area',
        lengthM: sum(geometry.coordinates.flatMap((p) => p.map(lineLength))),
        areaM2: sum(geometry.coordinates.map(polygonArea)),
      };
    default:
      return null;
  }
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

const number = (lang: Language, value: number, digits: number): string =>
  new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);

/** "8,5 m" under 10 m, "124 m" under 1 km, then "1,25 km". */
export function formatLength(lang: Language, metres: number): string {
  if (metres < 10) return `${number(lang, Math.round(metres * 10) / 10, 1)} m`;
  if (metres < 1000) return `${number(lang, Math.round(metres), 0)} m`;
  return `${number(lang, metres / 1000, 2)} km`;
}

/** "350 m²" under 0,1 ha, then hectares ("0,35 ha", "12,5 ha"), from 100 ha on km². */
export function formatArea(lang: Language, squareMetres: number): string {
  if (squareMetres < 1000) return `${number(lang, Math.round(squareMetres), 0)} m²`;
  const ha = squareMetres / 10_000;
  if (ha < 100) return `${number(lang, ha, 2)} ha`;
  return `${number(lang, squareMetres / 1_000_000, 2)} km²`;
}

/** A line: its length; an area: its area and perimeter ("0,35 ha · omtrek 240 m"). */
export function formatMeasure(lang: Language, measure: Measure | null): string {
  if (!measure) return '';
  if (measure.kind === 'line' || measure.areaM2 === null) return formatLength(lang, measure.lengthM);
  const perimeter = lang === 'nl' ? 'omtrek' : 'perimeter';
  return `${formatArea(lang, measure.areaM2)} · ${perimeter} ${formatLength(lang, measure.lengthM)}`;
}
