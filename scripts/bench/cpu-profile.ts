/**
 * Summarise a V8 .cpuprofile (node --cpu-prof): self time per function and per file, so a slow
 * benchmark says where its time goes. Also runnable: `npx tsx scripts/bench/cpu-profile.ts <file>`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function isCpuProfile(v: unknown): v is CpuProfile {
  const p = v as Partial<CpuProfile> | null;
  return p !== null && typeof p === 'object' && Array.isArray(p.nodes) && Array.isArray(p.samples) && Array.isArray(p.timeDeltas);
}

function where(frame: CallFrame, root: string): string {
  if (!frame.url) return '';
  const file = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  const rel = file.startsWith(root) ? path.relative(root, file) : file;
  return rel.replace(/^node_modules\//, 'nm:');
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** Self time per function ("file:line function") and per file, largest first. */
export function selfTimes(profile: CpuProfile, root: string): { functions: SelfTime[]; files: SelfTime[]; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node || us <= 0) return;
    total += us;
    const w = where(node.callFrame, root);
    // tsx-compiled modules report line 0 for everything: name the file only then.
    const line = node.callFrame.lineNumber > 0 ? `:${node.callFrame.lineNumber + 1}` : '';
    const key = `${node.callFrame.functionName || '(anonymous)'}${w ? ` ${w}${line}` : ''}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const fileKey = w || node.callFrame.functionName || '(native)';
    file.set(fileKey, (file.get(fileKey) ?? 0) + us);
  });
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, share: total ? us / total : 0 }));
  return { functions: sorted(fn), files: sorted(file), totalMs: total / 1000 };
}

export async function summariseCpuProfile(file: string, root: string, top = 25): Promise<string> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!isCpuProfile(parsed)) throw new Error(`${file} is not a V8 CPU profile`);
  const { functions, files, totalMs } = selfTimes(parsed, root);
  const row = (s: SelfTime) => `  ${(s.share * 100).toFixed(1).padStart(5)}%  ${s.ms.toFixed(0).padStart(7)} ms  ${s.name}`;
  return [
    `sampled ${(totalMs / 1000).toFixed(1)} s of the import process; (idle) = waiting for PostgreSQL or the disk;`,
    'top self time by function:',
    ...functions.slice(0, top).map(row),
    'by file:',
    ...files.slice(0, 12).map(row),
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npx tsx scripts/bench/cpu-profile.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  summariseCpuProfile(file, root, Number(process.argv[3] ?? 25)).then(console.log, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
