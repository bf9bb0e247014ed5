/**
 * File type detection by extension AND content. A file is read only when both agree on one of the
 * allow-listed formats; anything else is refused with 415 before a parser sees it.
 */
import { basename } from 'node:path';
import { readHead } from './file-io.ts';
import { type FormatId, ImportInputError, type UploadLimits } from './types.ts';
import { type ZipEntryInfo, listZip } from './zip.ts';
import { chooseDataset, isKlicEntries } from './zip-dataset.ts';

export type Sniffed = Exclude<FormatId, 'klic'> | 'zip';

const EXTENSIONS: Readonly<Record<Sniffed, readonly string[]>> = {
  zip: ['zip', 'kmz'],
  geopackage: ['gpkg'],
  flatgeobuf: ['fgb'],
  shapefile: ['shp'],
  geojson: ['geojson', 'json'],
  kml: ['kml'],
  csv: ['csv', 'tsv', 'txt'],
};

const ALLOWED_TEXT = 'GeoJSON (.geojson/.json), Shapefile (.shp or zipped), GeoPackage (.gpkg), FlatGeobuf (.fgb), CSV (.csv), KML (.kml) or a KLIC delivery (.zip)';

export function extensionOf(path: string): string {
  const base = basename(path).toLowerCase();
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1) : '';
}

function startsWith(head: Buffer, bytes: readonly number[]): boolean {
  return bytes.every((b, i) => head[i] === b);
}

/** The first non-blank text of the head (after a BOM). */
function textStart(head: Buffer): string {
  return head.toString('utf8', 0, Math.min(head.length, 4096)).replace(/^\uFEFF/, '').trimStart();
}

function looksLikeText(head: Buffer): boolean {
  return head.length > 0 && !head.includes(0);
}

/** What the content says the file is (null: nothing allowed). */
export function sniffContent(head: Buffer): Sniffed | null {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (head.toString('latin1', 0, 16) === 'SQLite format 3\0') return 'geopackage';
  if (startsWith(head, [0x66, 0x67, 0x62, 0x03])) return 'flatgeobuf';
  if (head.length >= 100 && head.readInt32BE(0) === 9994) return 'shapefile';
  if (!looksLikeText(head)) return null;
  const text = textStart(head);
  if (text.startsWith('{') || text.startsWith('[')) return 'geojson';
  if (text.startsWith('<')) return /<kml[\s>]/.test(text) ? 'kml' : null;
  return 'csv';
}

function unsupported(fileName: string, problem: string): ImportInputError {
  return new ImportInputError(`${fileName}: ${problem}; allowed are ${ALLOWED_TEXT}`, 415, 'unsupported_type', fileName);
}

/** Extension and content must agree; returns the content's verdict. */
export async function sniffFile(path: string): Promise<Sniffed> {
  const fileName = basename(path);
  const ext = extensionOf(path);
  const allowed = (Object.keys(EXTENSIONS) as Sniffed[]).filter((k) => EXTENSIONS[k].includes(ext));
  if (allowed.length === 0) throw unsupported(fileName, `file type ${ext ? `.${ext}` : '(no extension)'} is not allowed`);
  const content = sniffContent(await readHead(path, 4096));
  if (content === null || !allowed.includes(content)) {
    throw unsupported(fileName, `the content of this .${ext} file is not ${allowed.join('/')}${content ? ` (it looks like ${content})` : ''}`);
  }
  return content;
}

/** A zip's format: 'klic' for a KLIC delivery, else the format of the one dataset inside. */
export function formatOfZip(entries: readonly ZipEntryInfo[], fileName: string, entry?: string): FormatId {
  return isKlicEntries(entries) ? 'klic' : chooseDataset(entries, fileName, entry).format;
}

/** Detect the format of a file (for a zip: list it, applying the listing-time limits). */
export async function detectFormatWith(path: string, limits: UploadLimits, entry?: string): Promise<FormatId> {
  const sniffed = await sniffFile(path);
  if (sniffed !== 'zip') return sniffed;
  const fileName = basename(path);
  return formatOfZip(await listZip(path, fileName, limits), fileName, entry);
}
