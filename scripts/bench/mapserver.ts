/**
 * The MapServer 8 anchor of the tile and feature benchmarks (issue 9): Debian's `mapserv` as
 * FastCGI processes started by spawn-fcgi, behind lighttpd on a loopback port, reading the same
 * PostGIS tables as the product. PostGIS does the transform to Web Mercator / WGS84 in the layer's
 * DATA query (MapServer's own transform from EPSG:28992 is ~100 m off without the datum grid), and
 * the bench gives that query an expression GiST index so MapServer's bbox filter is indexed too, and
 * its connection the same no-parallel-workers setting our tile queries use; CLOSE_CONNECTION=DEFER
 * keeps each FastCGI process's database connection open between requests, as our pool does.
 *
 * Tiles: /mapserv?map=…&mode=tile&tilemode=gmap&tile=x+y+z&layers=<l>&map.imagetype=mvt
 * OGC API Features: /mapserv/ogcapi/collections/<l>/items?bbox=…&limit=…&f=json; layer `features`
 * carries the properties of our items pages, `features5` five of them (an earlier, lighter anchor).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureApt } from '../lib/env.mjs';
import { ASSET_COLUMNS } from '../../api/src/export/columns.ts';
import { toConninfo } from './bench-db.ts';
import { freePort } from './analysis-api.ts';

export const MAPSERV = '/usr/lib/cgi-bin/mapserv';

export interface MapServerAnchor {
  baseUrl: string;
  version: string;
  tilePath(z: number, x: number, y: number): string;
  /** `layer`: `features` (the properties of our items pages) or `features5` (id, system, class, status, label) */
  itemsPath(bbox: readonly [number, number, number, number], limit: number, layer?: 'features' | 'features5'): string;
  command: string;
  output(): string;
  stop(): Promise<void>;
}

export function ensureMapServer(): void {
  const missing = [[MAPSERV, 'cgi-mapserver'], ['/usr/sbin/lighttpd', 'lighttpd'], ['/usr/bin/spawn-fcgi', 'spawn-fcgi']].filter(([f]) => !existsSync(f ?? '')).map(([, p]) => p ?? '');
  if (missing.length) ensureApt(missing, 'MapServer 8 under FastCGI (the anchor of the tile benchmark)');
}

/**
 * One LINE layer of one vital system, transformed by PostGIS; `srid` 3857 for tiles, 4326 for
 * features. `columns`: the properties (default: the five a tile of ours carries but the owner).
 */
function layerBlock(name: string, conninfo: string, system: string, srid: number, columns = 'a.id, a.system, a.asset_class, a.status, a.label', join = ''): string {
  const data = `geom FROM (SELECT ${columns}, ST_Transform(a.geom, ${srid}) AS geom FROM asset a${join} WHERE a.system = '${system}') AS t USING UNIQUE id USING SRID=${srid}`;
  return `
  LAYER
    NAME "${name}"
    TYPE LINE
    STATUS ON
    CONNECTIONTYPE POSTGIS
    CONNECTION "${conninfo}"
    PROCESSING "CLOSE_CONNECTION=DEFER"
    DATA "${data}"
    PROJECTION "init=epsg:${srid}" END
    TEMPLATE "void"
    METADATA
      "ows_title" "${name}"
      "gml_include_items" "all"
      "gml_featureid" "id"
      "gml_types" "auto"
      "oga_enable_request" "*"
      "ows_extent" "3.0 50.7 7.3 53.6"
    END
    CLASS STYLE COLOR 0 0 255 WIDTH 1 END END
  END`;
}

/**
 * The properties of an asset on our items pages (ASSET_COLUMNS, the export registry: owner as the
 * organisation's name, the source's attributes as one JSON text), so that the features anchor writes
 * the same content as ours; MapServer cannot nest the attributes object and writes it as a string.
 */
const ITEMS_COLUMNS = ASSET_COLUMNS.map((c) => `${c.type === 'json' ? `${c.sql}::text` : c.sql} AS ${c.name}`).join(', ');

export function mapfile(conninfo: string, system: string, onlineResource: string): string {
  return `MAP
  NAME "samenhang_bench"
  EXTENT -20037508 -20037508 20037508 20037508
  SIZE 256 256
  UNITS METERS
  PROJECTION "init=epsg:3857" END
  CONFIG "MS_ERRORFILE" "stderr"
  OUTPUTFORMAT
    NAME "mvt"
    DRIVER MVT
    FORMATOPTION "EXTENT=4096"
    FORMATOPTION "EDGE_BUFFER=64"
  END
  WEB
    METADATA
      "ows_title" "Samenhang benchmark anchor"
      "ows_enable_request" "*"
      "oga_enable_request" "*"
      "oga_onlineresource" "${onlineResource}"
      "ows_srs" "EPSG:3857 EPSG:4326"
    END
  END${layerBlock('tiles', conninfo, system, 3857)}${layerBlock('features', conninfo, system, 4326, ITEMS_COLUMNS, ' LEFT JOIN organisation o ON o.id = a.owner_id')}${layerBlock('features5', conninfo, system, 4326)}
END
`;
}

/** Expression indexes on the transforms of the DATA queries, so MapServer's bbox filter can use GiST as ours does. */
export const ANCHOR_INDEXES = [
  'CREATE INDEX IF NOT EXISTS bench_asset_geom_3857 ON asset USING gist (ST_Transform(geom, 3857))',
  'CREATE INDEX IF NOT EXISTS bench_asset_geom_4326 ON asset USING gist (ST_Transform(geom, 4326))',
];

export async function startMapServer(dir: string, databaseUrl: string, system: string, processes: number): Promise<MapServerAnchor> {
  ensureMapServer();
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const map = path.join(dir, 'bench.map');
  const socket = path.join(dir, 'mapserv.sock');
  // the same advantage as ours: no parallel workers for a tile's small scan (launching them cost more)
  const conninfo = `${toConninfo(databaseUrl)} options='-c max_parallel_workers_per_gather=0'`;
  await writeFile(map, mapfile(conninfo, system, `${baseUrl}/mapserv/BENCH/ogcapi`));
  // MapServer 8 reads its site configuration from this file: the mapfile under the alias BENCH
  const conf = path.join(dir, 'mapserver.conf');
  await writeFile(conf, `CONFIG\n  ENV\n    MS_MAP_PATTERN "bench\\.map$"\n  END\n  MAPS\n    BENCH "${map}"\n  END\nEND\n`);
  await writeFile(path.join(dir, 'lighttpd.conf'), `server.modules = ("mod_fastcgi")
server.document-root = "${dir}"
server.bind = "127.0.0.1"
server.port = ${port}
server.errorlog = "${path.join(dir, 'lighttpd-error.log')}"
server.max-connections = 1024
fastcgi.server = ("/mapserv" => (("socket" => "${socket}", "check-local" => "disable")))
`);
  let log = '';
  const keep = (d: Buffer) => {
    log = (log + d.toString('utf8')).slice(-32 * 1024);
  };
  const env = { ...process.env, MAPSERVER_CONFIG_FILE: conf };
  const pidFile = path.join(dir, 'mapserv.pid');
  // spawn-fcgi forks the FastCGI processes and exits; their pids are in pidFile
  await new Promise<void>((resolve, reject) => {
    const fcgi = spawn('spawn-fcgi', ['-s', socket, '-F', String(processes), '-P', pidFile, '--', MAPSERV], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    fcgi.stdout.on('data', keep);
    fcgi.stderr.on('data', keep);
    fcgi.on('error', reject);
    fcgi.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`spawn-fcgi exited with ${code}:\n${log}`))));
  });
  const httpd: ChildProcess = spawn('lighttpd', ['-D', '-f', path.join(dir, 'lighttpd.conf')], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  httpd.stdout?.on('data', keep);
  httpd.stderr?.on('data', keep);
  const stop = async () => {
    if (httpd.pid && httpd.exitCode === null) {
      const exited = new Promise((r) => httpd.once('exit', r));
      process.kill(-httpd.pid, 'SIGTERM');
      await exited;
    }
    const pids = (await readFile(pidFile, 'utf8').catch(() => '')).split(/\s+/).filter(Boolean).map(Number);
    for (const pid of pids) {
      try {
        // mapserv's FastCGI loop does not leave accept() on SIGTERM; it holds no state worth a clean exit
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await fetch(`${baseUrl}/mapserv/BENCH/ogcapi/collections?f=json`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`MapServer did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const version = await new Promise<string>((resolve) => {
    const v = spawn(MAPSERV, ['-v']);
    let out = '';
    v.stdout.on('data', (d: Buffer) => (out += d.toString()));
    v.on('close', () => resolve(out.trim().split(' ').slice(0, 3).join(' ')));
  });
  return {
    baseUrl,
    version,
    tilePath: (z, x, y) => `/mapserv?map=BENCH&mode=tile&tilemode=gmap&tile=${x}+${y}+${z}&layers=tiles&map.imagetype=mvt`,
    itemsPath: (b, limit, layer = 'features') => `/mapserv/BENCH/ogcapi/collections/${layer}/items?f=json&limit=${limit}&bbox=${b.join(',')}`,
    command: `MAPSERVER_CONFIG_FILE=<mapserver.conf: MAPS BENCH <bench.map>> spawn-fcgi -s <socket> -F ${processes} -- ${MAPSERV}; lighttpd -D -f <conf> (mod_fastcgi → the socket)`,
    output: () => log,
    stop,
  };
}
