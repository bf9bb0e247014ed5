/**
 * Running child processes for the benchmarks: wall time around the whole process and its peak
 * resident memory from GNU time (`/usr/bin/time -v`, "Maximum resident set size").
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const GNU_TIME = '/usr/bin/time';
/** keep at most this much of a child's stderr (progress output can be long) */
const STDERR_TAIL = 64 * 1024;

export interface ProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  wallMs: number;
}

export interface MeasuredResult extends ProcessResult {
  /** largest resident set of the process or of any descendant it waited for, in MiB */
  peakRssMb: number;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

function run(cmd: string, args: readonly string[], opts: RunOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString('utf8')).slice(-STDERR_TAIL);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: err,
        wallMs: performance.now() - started,
      });
    });
  });
}

/** Run and throw (with the stderr tail) unless it exits 0. */
export async function runChecked(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<ProcessResult> {
  const r = await run(cmd, args, opts);
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.exitCode}\n${r.stderr.slice(-4000)}`);
  return r;
}

/** Peak RSS in MiB from GNU time's verbose report. */
export function parsePeakRssMb(timeReport: string): number {
  const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(timeReport);
  if (!m?.[1]) throw new Error(`no "Maximum resident set size" in the output of ${GNU_TIME} -v:\n${timeReport}`);
  return Number(m[1]) / 1024;
}

/**
 * Run under `/usr/bin/time -v`; wall time is measured here around the whole child (process start
 * included). GNU time writes its report to a file so the child's own stderr stays separate.
 */
export async function runMeasured(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<MeasuredResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'samenhang-bench-'));
  const report = path.join(dir, 'time.txt');
  try {
    const r = await run(GNU_TIME, ['-v', '-o', report, cmd, ...args], opts);
    const timeReport = await readFile(report, 'utf8').catch(() => '');
    return { ...r, peakRssMb: timeReport ? parsePeakRssMb(timeReport) : NaN };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

/** A shell-quoted rendering of a command, for reports (never executed through a shell). */
export function showCommand(cmd: string, args: readonly string[]): string {
  const q = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);
  return [cmd, ...args].map(q).join(' ');
}
