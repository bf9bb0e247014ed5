/**
 * Open a KLIC delivery zip and stream its IMKL GML entry (GI_gebiedsinformatielevering_*.xml).
 * Only the central directory is read up front; the GML itself is streamed (inflated on the fly).
 */
import { basename } from 'node:path';
import { Transform, pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { KlicImportError } from './types.ts';

export interface GmlEntryStream {
  /** name of the GML entry inside the zip, e.g. 22G003179_1/GI_gebiedsinformatielevering_22G003179_1_V2.xml */
  entryName: string;
  /** inflated bytes of the GML entry */
  stream: Readable;
}

/** True when the entry name could escape the extraction directory (absolute, drive letter, `..`, backslash). */
export function isUnsafeEntryName(name: string): boolean {
  if (name.includes('\\') || name.includes('\0')) return true;
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return true;
  return name.split('/').includes('..');
}

/** The IMKL delivery file: `GI_gebiedsinformatielevering_<meldnummer>_<volgnummer>[_V2].xml`. */
export function isGmlEntryName(name: string): boolean {
  const file = name.split('/').pop() ?? '';
  return file.toLowerCase().endsWith('.xml') && file.includes('GI_gebiedsinformatielevering');
}

/** Translate a yauzl / fs error into a message an analyst understands. */
export function describeZipError(err: Error): string {
  const msg = err.message;
  if (/end of central directory record signature not found/i.test(msg)) {
    return 'not a valid zip archive (end of central directory not found: not a zip file, or the file is truncated)';
  }
  if (/absolute path|invalid relative path|invalid characters in fileName/i.test(msg)) {
    return `unsafe entry name in zip (${msg})`;
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES') return 'permission denied';
  return `corrupt zip archive (${msg})`;
}

function fail(zipPath: string, problem: string, detail?: string): KlicImportError {
  const fileName = basename(zipPath);
  return new KlicImportError(`${fileName}: ${problem}`, fileName, detail);
}

function openZip(zipPath: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, zip) => {
      if (err) reject(fail(zipPath, describeZipError(err), err.message));
      else resolve(zip);
    });
  });
}

/** Walk the central directory and return the single GML entry (rejecting unsafe names on the way). */
function findGmlEntry(zipPath: string, zip: ZipFile): Promise<Entry> {
  return new Promise((resolve, reject) => {
    const found: Entry[] = [];
    zip.on('error', (err: Error) => reject(fail(zipPath, describeZipError(err), err.message)));
    zip.on('entry', (entry: Entry) => {
      if (isUnsafeEntryName(entry.fileName)) {
        reject(fail(zipPath, `unsafe entry name in zip: ${JSON.stringify(entry.fileName)}`));
        return;
      }
      if (isGmlEntryName(entry.fileName) && !entry.fileName.endsWith('/')) found.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => {
      const [first, second] = found;
      if (!first) reject(fail(zipPath, 'no GI_gebiedsinformatielevering_*.xml entry in zip (not a KLIC delivery?)'));
      else if (second) reject(fail(zipPath, `more than one GML entry in zip (${first.fileName}, ${second.fileName})`));
      else resolve(first);
    });
    zip.readEntry();
  });
}

/**
 * Pass the inflated bytes through a CRC-32 check against the central directory (yauzl does not
 * check it): damaged data that still inflates is reported instead of imported.
 */
function withCrcCheck(zipPath: string, entry: Entry, source: Readable): Readable {
  let crc = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      crc = crc32(chunk, crc);
      callback(null, chunk);
    },
    flush(callback) {
      const ok = crc >>> 0 === entry.crc32 >>> 0;
      callback(ok ? null : fail(zipPath, `corrupt zip entry ${entry.fileName} (CRC-32 mismatch)`));
    },
  });
  // pipeline destroys the zip stream when the consumer stops early, releasing the file descriptor
  return pipeline(source, check, () => undefined);
}

function openEntryStream(zipPath: string, zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) reject(fail(zipPath, `cannot read ${entry.fileName} (${describeZipError(err)})`, err.message));
      else resolve(withCrcCheck(zipPath, entry, stream));
    });
  });
}

/**
 * Open `zipPath` and return a stream of its GML entry. The zip file descriptor is released when the
 * stream ends or is destroyed. Throws KlicImportError (message starts with the zip's file name).
 */
export async function openGmlEntry(zipPath: string): Promise<GmlEntryStream> {
  const zip = await openZip(zipPath);
  try {
    const entry = await findGmlEntry(zipPath, zip);
    const stream = await openEntryStream(zipPath, zip, entry);
    return { entryName: entry.fileName, stream };
  } finally {
    // The read stream keeps its own reference; closing here frees the fd once the stream is done.
    zip.close();
  }
}
