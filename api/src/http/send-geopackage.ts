/**
 * Answer with a GeoPackage written to a temporary file (SQLite needs a file, not a stream): the
 * writer gets the path and a signal that fires when the client goes away; the file is streamed
 * with its length and removed afterwards, whatever happened. A client that left gets no answer.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';

export async function sendGeoPackage(res: Response, write: (file: string, signal: AbortSignal) => Promise<unknown>): Promise<void> {
  const gone = new AbortController();
  res.on('close', () => gone.abort());
  const dir = await mkdtemp(path.join(os.tmpdir(), 'samenhang-gpkg-'));
  try {
    const file = path.join(dir, 'export.gpkg');
    await write(file, gone.signal);
    res.set('Content-Length', String((await stat(file)).size));
    await pipeline(createReadStream(file), res);
  } catch (err) {
    if (gone.signal.aborted) return; // the client left; nothing to answer
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
