/**
 * A seeded mutation fuzzer for the import path (issue 10 §4): file N is a deterministic function
 * of (seed, N) — the same pair always gives the same bytes, so a failure found by fuzz file 1234
 * is reproduced with `fuzzFile(seeds, seed, 1234)`. Seeds are the real fixtures (GDAL-made cuts
 * of public data) and a real KLIC delivery; every fuzz file is SYNTHETIC (a mutated copy).
 *
 * Mutations: bit flips, truncation, chunk duplication and removal, numbers in text replaced by
 * extremes (1e309, NaN, 1e15, …), 32-bit fields overwritten with extremes (binary headers), and
 * for zips: an entry mutated, dropped, renamed hostile or duplicated, before the zip is rebuilt.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { mulberry32 } from '../../api/src/model/prng.ts';
import { FIXTURES, KLIC_SEED } from './hostile-corpus.ts';

export interface FuzzSeed {
  name: string;
  bytes: Uint8Array;
  zip: boolean;
}

export interface FuzzFile {
  /** upload name: fuzz-<n>-<seed base>-<mutations>.<ext> */
  name: string;
  bytes: Uint8Array;
  seed: string;
  mutations: string[];
}

const SEED_FILES = [
  path.join(FIXTURES, 'bgt-wegdeel-nocrs.geojson'),
  path.join(FIXTURES, 'bomen.shp.zip'),
  path.join(FIXTURES, 'bgt-delft.gpkg'),
  path.join(FIXTURES, 'traceontwerp-apeldoorn.fgb'),
  path.join(FIXTURES, 'bomen-xy.csv'),
  path.join(FIXTURES, 'bomen-wkt.csv'),
  path.join(FIXTURES, 'bomen.kml'),
  path.resolve(FIXTURES, '..', 'mapping', 'riool_maasgouw.zip'),
  KLIC_SEED,
];

export async function loadSeeds(): Promise<FuzzSeed[]> {
  return Promise.all(SEED_FILES.map(async (f) => ({ name: path.basename(f), bytes: new Uint8Array(await readFile(f)), zip: f.endsWith('.zip') })));
}

type Rng = () => number;
const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)] as T;

const EXTREME_NUMBERS = ['1e309', '-1e309', 'NaN', 'Infinity', '1e15', '-1e15', '0', '-0', '99999999999999999999999', '1e-400', '', '-', '.', '1e', '0x10'];
const EXTREME_INTS = [0, 0xffffffff, 0x7fffffff, 0x80000000, 1, 0xffff, 0x10000];

type Mutation = (rng: Rng, b: Uint8Array) => Uint8Array;

const MUTATIONS: Record<string, Mutation> = {
  bitflip: (rng, b) => {
    const out = new Uint8Array(b);
    const flips = 1 + int(rng, 16);
    for (let i = 0; i < flips && out.length > 0; i++) {
      const at = int(rng, out.length);
      out[at] = (out[at] ?? 0) ^ (1 << int(rng, 8));
    }
    return out;
  },
  truncate: (rng, b) => b.subarray(0, int(rng, b.length)),
  duplicate: (rng, b) => {
    const from = int(rng, b.length);
    const chunk = b.subarray(from, from + 1 + int(rng, 4096));
    const at = int(rng, b.length + 1);
    return concat(b.subarray(0, at), chunk, b.subarray(at));
  },
  remove: (rng, b) => {
    const from = int(rng, b.length);
    return concat(b.subarray(0, from), b.subarray(from + 1 + int(rng, 4096)));
  },
  number: (rng, b) => {
    // a number in the text (or in the text parts of a binary file) becomes an extreme one
    const text = Buffer.from(b).toString('latin1');
    const matches = [...text.matchAll(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi)];
    if (matches.length === 0) return b;
    const times = 1 + int(rng, 5);
    let out = text;
    for (let i = 0; i < times; i++) {
      const m = pick(rng, matches);
      const at = m.index;
      const next = pick(rng, EXTREME_NUMBERS);
      if (out.slice(at, at + m[0].length) === m[0]) out = `${out.slice(0, at)}${next}${' '.repeat(Math.max(0, m[0].length - next.length))}${out.slice(at + Math.max(m[0].length, next.length))}`;
    }
    return new Uint8Array(Buffer.from(out, 'latin1'));
  },
  int32: (rng, b) => {
    // binary headers: a 32-bit field in the first 256 bytes (counts, lengths, offsets) set to an extreme
    const out = Buffer.from(b);
    if (out.length < 8) return out;
    const at = int(rng, Math.min(out.length - 4, 256));
    const v = pick(rng, EXTREME_INTS);
    if (rng() < 0.5) out.writeUInt32LE(v >>> 0, at);
    else out.writeUInt32BE(v >>> 0, at);
    return new Uint8Array(out);
  },
};

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

const BYTE_OPS = Object.keys(MUTATIONS);
const ZIP_OPS = ['entry', 'entry', 'entry', 'drop', 'rename', 'dup-name', 'raw'];

function mutateBytes(rng: Rng, bytes: Uint8Array, applied: string[]): Uint8Array {
  const op = pick(rng, BYTE_OPS);
  applied.push(op);
  return (MUTATIONS[op] as Mutation)(rng, bytes);
}

/** Zip seeds: tamper with the entries, then zip again (or, for 'raw', mutate the zip's own bytes). */
function mutateZip(rng: Rng, seed: FuzzSeed, applied: string[]): Uint8Array {
  const op = pick(rng, ZIP_OPS);
  if (op === 'raw') return mutateBytes(rng, seed.bytes, applied);
  applied.push(op);
  const entries: [string, Uint8Array][] = Object.entries(unzipSync(seed.bytes));
  const i = int(rng, entries.length);
  const [name, data] = entries[i] as [string, Uint8Array];
  if (op === 'entry') entries[i] = [name, mutateBytes(rng, data, applied)];
  else if (op === 'drop') entries.splice(i, 1);
  else if (op === 'rename') entries[i] = [pick(rng, [`../${name}`, `/tmp/${name}`, `${name}.bak`, name.toUpperCase(), `a/b/c/${name}`]), data];
  else entries.push([`kopie/${name}`, data]);
  return zipSync(Object.fromEntries(entries), { level: int(rng, 10) as 0 });
}

/** Fuzz file `n` (1-based) of the run seeded with `seed`. */
export function fuzzFile(seeds: readonly FuzzSeed[], seed: number, n: number): FuzzFile {
  const rng = mulberry32((Math.imul(seed, 0x9e3779b1) ^ Math.imul(n, 0x85ebca6b)) >>> 0);
  const s = seeds[(n - 1) % seeds.length] as FuzzSeed;
  const applied: string[] = [];
  let bytes = s.zip ? mutateZip(rng, s, applied) : mutateBytes(rng, s.bytes, applied);
  // a third of the files get a second, byte-level mutation on top (for a zip: of the rebuilt archive)
  if (rng() < 0.3) bytes = mutateBytes(rng, bytes, applied);
  const ext = path.extname(s.name);
  const base = path.basename(s.name, ext).replace(/[^a-zA-Z0-9-]/g, '-').slice(0, 24);
  return { name: `fuzz-${String(n).padStart(4, '0')}-${base}-${applied.join('+')}${ext}`, bytes, seed: s.name, mutations: applied };
}
