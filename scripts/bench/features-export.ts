/**
 * The full export of the features benchmark: every asset of the SYNTHETIC city as one GeoJSON in
 * WGS84, ours through the selection export (`GET /api/export?format=geojson&layers=<every system>`,
 * signed in, streamed and discarded) against `ogr2ogr -f GeoJSON … PG:… asset -t_srs EPSG:4326`.
 * Our server's memory growth is its resident set sampled every 50 ms during the download, minus
 * the resident set just before it.
 */
import { readFile, rm } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { SYSTEM_CODES } from '../../api/src/model/systems.ts';
import type { ApiServer } from './analysis-api.ts';
import { toConninfo } from './bench-db.ts';
import { runMeasured, showCommand } from './measure.ts';
import type { Bbox } from './tiles-sql.ts';

export interface ExportRun {
  side: 'ours' | 'gdal';
  ms: number;
  bytes: number;
  features: number;
  /** ours: growth of the server's resident set during the export; GDAL: its peak RSS */
  memoryMb: number;
}

export const EXPORT_TIME_GOAL = 1.5;
export const EXPORT_MEMORY_GOAL_MB = 200;

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** Occurrences of `"Feature"` across chunk boundaries (FeatureCollection does not match: no quote after Feature). */
function featureCounter(): { add(chunk: Buffer): void; count(): number } {
  const needle = '"Feature"';
  let carry = '';
  let n = 0;
  return {
    add(chunk) {
      const text = carry + chunk.toString('latin1');
      for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
      carry = text.slice(-(needle.length - 1));
    },
    count: () => n,
  };
}

export function ourExportPath(bbox: Bbox): string {
  return `/api/export?format=geojson&crs=EPSG:4326&layers=${SYSTEM_CODES.join(',')}&bbox=${bbox.join(',')}`;
}

export async function ourExport(api: ApiServer, auth: string, bbox: Bbox): Promise<ExportRun> {
  const before = await rssMb(api.pid);
  let peak = before;
  const sampler = setInterval(() => void rssMb(api.pid).then((v) => (peak = Math.max(peak, v))), 50);
  const started = performance.now();
  try {
    const res = await fetch(api.baseUrl + ourExportPath(bbox), { headers: { authorization: auth } });
    if (res.status !== 200 || !res.body) throw new Error(`our export answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
    const counter = featureCounter();
    let bytes = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const b = Buffer.from(chunk);
      bytes += b.length;
      counter.add(b);
    }
    return { side: 'ours', ms: performance.now() - started, bytes, features: counter.count(), memoryMb: peak - before };
  } finally {
    clearInterval(sampler);
  }
}

export function gdalExportCommand(url: string, out: string): [string, string[]] {
  return ['ogr2ogr', ['-f', 'GeoJSON', out, `PG:${toConninfo(url)}`, 'asset', '-t_srs', 'EPSG:4326']];
}

export async function gdalExport(url: string, out: string): Promise<ExportRun> {
  await rm(out, { force: true });
  const [cmd, args] = gdalExportCommand(url, out);
  const r = await runMeasured(cmd, args);
  if (r.exitCode !== 0) throw new Error(`ogr2ogr export failed (exit ${r.exitCode}):\n${r.stderr.slice(-2000)}`);
  const counter = featureCounter();
  let bytes = 0;
  for await (const chunk of createReadStream(out)) {
    const b = chunk as Buffer;
    bytes += b.length;
    counter.add(b);
  }
  await rm(out, { force: true });
  return { side: 'gdal', ms: r.wallMs, bytes, features: counter.count(), memoryMb: r.peakRssMb };
}

export function gdalExportShown(): string {
  return showCommand('ogr2ogr', ['-f', 'GeoJSON', '<out>.geojson', 'PG:<conninfo of the bench db>', 'asset', '-t_srs', 'EPSG:4326']);
}
