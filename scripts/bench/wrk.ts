/**
 * Load on loopback with `wrk` (Debian package, C: light on the 2 cores it shares with the servers):
 * a Lua script cycles through a list of request paths, with optional headers. Reports requests/s,
 * latency percentiles and errors (sockets, non-2xx/3xx).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureApt } from '../lib/env.mjs';

export interface WrkResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export function ensureWrk(): void {
  if (!existsSync('/usr/bin/wrk')) ensureApt(['wrk'], 'wrk (HTTP load for the tile and feature benchmarks)');
}

const LUA = `
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local auth = os.getenv("WRK_AUTH")
if auth and #auth > 0 then wrk.headers["Authorization"] = auth end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
`;

function ms(value: string, unit: string): number {
  const v = Number(value);
  return unit === 'us' ? v / 1000 : unit === 's' ? v * 1000 : unit === 'm' ? v * 60_000 : v;
}

export function parseWrk(out: string): WrkResult {
  const num = (re: RegExp): number => Number(re.exec(out)?.[1] ?? NaN);
  const pct = (p: string): number => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    return m ? ms(m[1] ?? '', m[2] ?? '') : NaN;
  };
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = sock ? sock.slice(1).reduce((s, v) => s + Number(v), 0) : 0;
  const rps = num(/Requests\/sec:\s+([\d.]+)/);
  if (!Number.isFinite(rps)) throw new Error(`wrk printed no Requests/sec:\n${out}`);
  return {
    requests: num(/(\d+) requests in/), rps, p50Ms: pct('50'), p90Ms: pct('90'), p99Ms: pct('99'), errors,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
  };
}

export interface WrkOptions {
  baseUrl: string;
  paths: readonly string[];
  connections: number;
  seconds: number;
  authorization?: string | undefined;
  /** where the path list and the script are written */
  dir: string;
}

export function wrkCommand(o: Pick<WrkOptions, 'connections' | 'seconds'>): string {
  return `wrk -t1 -c${o.connections} -d${o.seconds}s --latency -s paths.lua <base url>  (paths.lua cycles through the request paths)`;
}

export async function runWrk(o: WrkOptions): Promise<WrkResult> {
  const list = path.join(o.dir, `wrk-paths-${process.pid}.txt`);
  const script = path.join(o.dir, 'wrk-paths.lua');
  await writeFile(list, `${o.paths.join('\n')}\n`);
  await writeFile(script, LUA);
  const out = await new Promise<string>((resolve, reject) => {
    execFile('wrk', ['-t1', `-c${o.connections}`, `-d${o.seconds}s`, '--timeout', '30s', '--latency', '-s', script, o.baseUrl],
      { env: { ...process.env, WRK_PATHS: list, WRK_AUTH: o.authorization ?? '' }, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => (err ? reject(new Error(`wrk failed: ${err.message}\n${stderr}`)) : resolve(stdout)));
  });
  return parseWrk(out);
}
