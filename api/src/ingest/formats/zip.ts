/**
 * Zipped uploads: list the central directory (refusing hostile archives before anything is
 * written), then stream only the dataset's entries into a scratch directory while counting bytes.
 *
 * Checked while listing: entry count, unsafe names (`..`, absolute, drive letters, backslashes),
 * symbolic links, encryption, declared sizes and compression ratios. Checked while inflating:
 * actual bytes per entry and in total against the same limits, so an archive whose headers lie is
 * stopped after at most one chunk past the limit (yauzl also refuses an entry that inflates beyond
 * its declared size).
 */
import { createWriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { badInput, tooLarge } from './common.ts';
import { ImportInputError, type UploadLimits } from './types.ts';

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

/** Entries smaller than this are never called a bomb (tiny files compress oddly well). */
const RATIO_MIN_BYTES = 1024 * 1024;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** True when the entry name could escape the extraction directory. */
export function isUnsafeEntryName(name: string): boolean {
  if (name.includes('\\') || name.includes('\0')) return true;
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return true;
  return name.split('/').includes('..');
}

function unsafe(fileName: string, problem: string): ImportInputError {
  return new ImportInputError(`${fileName}: ${problem}`, 400, 'unsafe_path', fileName);
}

function zipBomb(fileName: string, problem: string): ImportInputError {
  return tooLarge(fileName, 'zip_bomb', `${problem} (refused as a possible zip bomb)`);
}

/** yauzl's messages → ImportInputError with the right status. */
function zipError(fileName: string, err: Error): ImportInputError {
  if (err instanceof ImportInputError) return err;
  const msg = err.message;
  if (/absolute path|invalid relative path|invalid characters in fileName/i.test(msg)) return unsafe(fileName, `unsafe entry name in zip (${msg})`);
  if (/too many bytes in the stream/i.test(msg)) return zipBomb(fileName, 'an entry inflates beyond the size its header declares');
  if (/end of central directory record signature not found/i.test(msg)) {
    return badInput(fileName, 'corrupt_zip', 'not a valid zip archive (truncated, or not a zip file)');
  }
  if (/encrypted/i.test(msg)) return badInput(fileName, 'encrypted_zip', 'the zip is password-protected');
  return badInput(fileName, 'corrupt_zip', `corrupt zip archive (${msg})`);
}

function openZip(path: string, fileName: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, zip) => {
      if (err) reject(zipError(fileName, err));
      else resolve(zip);
    });
  });
}

function isSymlink(entry: Entry): boolean {
  const madeBy = (entry.versionMadeBy >> 8) & 0xff;
  // 3 = UNIX, 19 = OS X: the high 16 bits of the external attributes hold st_mode
  return (madeBy === 3 || madeBy === 19) && ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK;
}

function checkEntry(entry: Entry, fileName: string, limits: UploadLimits): void {
  if (isUnsafeEntryName(entry.fileName)) throw unsafe(fileName, `unsafe entry name in zip: ${JSON.stringify(entry.fileName)}`);
  if (isSymlink(entry)) throw unsafe(fileName, `symbolic link in zip: ${JSON.stringify(entry.fileName)}`);
  if (entry.isEncrypted()) throw badInput(fileName, 'encrypted_zip', `entry ${entry.fileName} is password-protected`);
  const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
  if (entry.uncompressedSize > RATIO_MIN_BYTES && ratio > limits.maxCompressionRatio) {
    throw zipBomb(fileName, `entry ${entry.fileName} would inflate ${Math.round(ratio)}x to ${entry.uncompressedSize} bytes (limit ${limits.maxCompressionRatio}x)`);
  }
}

function checkTotals(entries: readonly ZipEntryInfo[], fileName: string, limits: UploadLimits): void {
  const total = entries.reduce((s, e) => s + e.uncompressedSize, 0);
  const packed = entries.reduce((s, e) => s + e.compressedSize, 0);
  if (total > limits.maxUncompressedBytes) {
    throw tooLarge(fileName, 'zip_too_large', `the zip would unpack to ${total} bytes (limit ${limits.maxUncompressedBytes})`);
  }
  if (total > RATIO_MIN_BYTES && total / Math.max(packed, 1) > limits.maxCompressionRatio) {
    throw zipBomb(fileName, `the zip would inflate ${Math.round(total / Math.max(packed, 1))}x overall (limit ${limits.maxCompressionRatio}x)`);
  }
}

function readEntries(zip: ZipFile, fileName: string, limits: UploadLimits): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('error', (err: Error) => reject(zipError(fileName, err)));
    zip.on('entry', (entry: Entry) => {
      try {
        checkEntry(entry, fileName, limits);
      } catch (err) {
        reject(err as Error);
        return;
      }
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.readEntry();
  });
}

async function withZip<T>(path: string, fileName: string, limits: UploadLimits, use: (zip: ZipFile, entries: Entry[]) => Promise<T>): Promise<T> {
  const zip = await openZip(path, fileName);
  try {
    if (zip.entryCount > limits.maxZipEntries) {
      throw tooLarge(fileName, 'too_many_entries', `the zip holds ${zip.entryCount} entries (limit ${limits.maxZipEntries})`);
    }
    const entries = await readEntries(zip, fileName, limits);
    const infos = entries.map(toInfo);
    checkTotals(infos, fileName, limits);
    return await use(zip, entries);
  } finally {
    zip.close();
  }
}

function toInfo(e: Entry): ZipEntryInfo {
  return { name: e.fileName, compressedSize: e.compressedSize, uncompressedSize: e.uncompressedSize };
}

/** The archive's file entries (no directories), after all listing-time checks. */
export async function listZip(path: string, fileName: string, limits: UploadLimits): Promise<ZipEntryInfo[]> {
  return withZip(path, fileName, limits, async (_zip, entries) => entries.filter((e) => !e.fileName.endsWith('/')).map(toInfo));
}

function openEntryStream(zip: ZipFile, entry: Entry, fileName: string): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => (err ? reject(zipError(fileName, err)) : resolve(stream)));
  });
}

interface Totals {
  bytes: number;
  packed: number;
}

/** Counts inflated bytes and stops the stream as soon as a limit is passed. */
function byteGuard(entry: Entry, totals: Totals, fileName: string, limits: UploadLimits): Transform {
  let bytes = 0;
  totals.packed += entry.compressedSize;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      totals.bytes += chunk.length;
      if (totals.bytes > limits.maxUncompressedBytes) {
        done(tooLarge(fileName, 'zip_too_large', `the zip unpacks to more than ${limits.maxUncompressedBytes} bytes`));
      } else if (bytes > RATIO_MIN_BYTES && bytes / Math.max(entry.compressedSize, 1) > limits.maxCompressionRatio) {
        done(zipBomb(fileName, `entry ${entry.fileName} inflates more than ${limits.maxCompressionRatio}x`));
      } else if (totals.bytes > RATIO_MIN_BYTES && totals.bytes / Math.max(totals.packed, 1) > limits.maxCompressionRatio) {
        done(zipBomb(fileName, `the zip inflates more than ${limits.maxCompressionRatio}x`));
      } else {
        done(null, chunk);
      }
    },
  });
}

/**
 * Stream the named entries into `dir` (each under its base name; the names were checked while
 * listing). Returns the written paths by entry name.
 */
export async function extractEntries(
  path: string,
  fileName: string,
  names: readonly string[],
  dir: string,
  limits: UploadLimits,
): Promise<Map<string, string>> {
  const wanted = new Set(names);
  return withZip(path, fileName, limits, async (zip, entries) => {
    const written = new Map<string, string>();
    const totals: Totals = { bytes: 0, packed: 0 };
    for (const entry of entries) {
      if (!wanted.has(entry.fileName)) continue;
      const target = join(dir, basename(entry.fileName));
      const stream = await openEntryStream(zip, entry, fileName);
      try {
        await pipeline(stream, byteGuard(entry, totals, fileName, limits), createWriteStream(target, { flags: 'wx' }));
      } catch (err) {
        throw zipError(fileName, err as Error);
      }
      written.set(entry.fileName, target);
    }
    return written;
  });
}
