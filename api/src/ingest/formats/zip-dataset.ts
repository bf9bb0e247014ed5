/**
 * Which dataset a zip holds: a KLIC delivery, or exactly one shapefile/GeoPackage/FlatGeobuf/
 * GeoJSON/KML (or, when nothing else is there, one .json/.csv), with the files it needs.
 */
import { badInput } from './common.ts';
import type { ZipEntryInfo } from './zip.ts';
import { type FormatId, ImportInputError } from './types.ts';

export type ReadableFormat = Exclude<FormatId, 'klic'>;

export interface DatasetChoice {
  format: ReadableFormat;
  /** the dataset's entry name */
  entry: string;
  /** entries to unpack: the dataset and, for a shapefile, its sidecar files */
  extract: string[];
}

const PRIMARY: ReadonlyMap<string, ReadableFormat> = new Map([
  ['shp', 'shapefile'],
  ['gpkg', 'geopackage'],
  ['fgb', 'flatgeobuf'],
  ['geojson', 'geojson'],
  ['kml', 'kml'],
]);
/** only counted when the zip holds no primary dataset (a .json or .csv is often metadata) */
const SECONDARY: ReadonlyMap<string, ReadableFormat> = new Map([
  ['json', 'geojson'],
  ['csv', 'csv'],
]);
const SHAPEFILE_SIDECARS = ['shx', 'dbf', 'prj', 'cpg'];

function baseOf(name: string): string {
  return name.split('/').pop() ?? name;
}

function extOf(name: string): string {
  const base = baseOf(name);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** Names the user never means: macOS resource forks, hidden files. */
function isNoise(name: string): boolean {
  return name.startsWith('__MACOSX/') || name.split('/').some((part) => part.startsWith('.'));
}

/** True when the zip is a KLIC delivery (it holds a GI_gebiedsinformatielevering*.xml). */
export function isKlicEntries(entries: readonly ZipEntryInfo[]): boolean {
  return entries.some((e) => !isNoise(e.name) && /^GI_gebiedsinformatielevering.*\.xml$/i.test(baseOf(e.name)));
}

function shapefileEntries(entries: readonly ZipEntryInfo[], shp: string): string[] {
  const stem = shp.slice(0, -4).toLowerCase();
  return entries
    .map((e) => e.name)
    .filter((n) => n.toLowerCase().startsWith(`${stem}.`) && SHAPEFILE_SIDECARS.includes(extOf(n)) && n.length === shp.length);
}

function candidates(entries: readonly ZipEntryInfo[]): { name: string; format: ReadableFormat }[] {
  const files = entries.filter((e) => !isNoise(e.name));
  const pick = (table: ReadonlyMap<string, ReadableFormat>) =>
    files.flatMap((e) => {
      const format = table.get(extOf(e.name));
      return format ? [{ name: e.name, format }] : [];
    });
  const primary = pick(PRIMARY);
  return primary.length > 0 ? primary : pick(SECONDARY);
}

function unsupported(fileName: string, problem: string, code = 'unsupported_type'): ImportInputError {
  return new ImportInputError(`${fileName}: ${problem}`, 415, code, fileName);
}

/**
 * The one dataset in the zip. `wanted` (an entry name or base name, any case) chooses when there
 * are several. Throws 415 when there is none (or only a nested zip), 400 when it is ambiguous.
 */
export function chooseDataset(entries: readonly ZipEntryInfo[], fileName: string, wanted?: string): DatasetChoice {
  let found = candidates(entries);
  if (wanted !== undefined) {
    const w = wanted.toLowerCase();
    found = found.filter((c) => c.name.toLowerCase() === w || baseOf(c.name).toLowerCase() === w);
    if (found.length === 0) throw badInput(fileName, 'entry_not_found', `the zip holds no dataset named ${JSON.stringify(wanted)}`);
  }
  const [first, second] = found;
  if (!first) {
    const nested = entries.find((e) => ['zip', 'kmz'].includes(extOf(e.name)));
    if (nested) throw unsupported(fileName, `zip inside a zip (${nested.name}) is not unpacked; upload the inner zip itself`, 'nested_zip');
    const dbf = entries.find((e) => extOf(e.name) === 'dbf');
    const hint = dbf ? ` (${dbf.name} has no .shp beside it)` : '';
    throw unsupported(fileName, `no dataset in zip${hint}; expected one .shp, .gpkg, .fgb, .geojson, .json, .csv or .kml`);
  }
  if (second) {
    const names = found.slice(0, 10).map((c) => c.name).join(', ');
    throw badInput(fileName, 'ambiguous_zip', `the zip holds ${found.length} datasets (${names}); choose one`);
  }
  const extract = first.format === 'shapefile' ? [first.name, ...shapefileEntries(entries, first.name)] : [first.name];
  return { format: first.format, entry: first.name, extract };
}
