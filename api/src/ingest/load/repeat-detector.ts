/**
 * Does any source id repeat in a file? Answered while streaming with 8 bytes per id instead of
 * the ids themselves: each id is hashed to 64 bits (two independent 32-bit FNV-1a variants) into an
 * open-addressing table. Equal ids always give equal hashes, so "no repeat" is exact; a repeated
 * hash (a real repeat, or a collision) only means the exact check in SQL must run.
 */
const PAIR = new Uint32Array(2);

/** the id's two 32-bit hashes into out[at], out[at + 1] (never both 0) */
export function hashId(id: string, out: Uint32Array, at: number): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  out[at] = h1;
  out[at + 1] = h1 === 0 && h2 === 0 ? 1 : h2;
}

/** slots for `expected` ids at most half full: no growing (and rehashing) on the way; 2^16 .. 2^22 */
function slotsFor(expected: number | null): number {
  const want = Math.min(Math.max(2 * (expected ?? 0), 1 << 16), 1 << 22);
  return 2 ** Math.ceil(Math.log2(want));
}

export class RepeatDetector {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private used: Uint8Array;
  private size = 0;
  /** true once some hash was seen twice: the exact check must run */
  maybeRepeats = false;

  /** `expected`: how many ids the file is said to hold (a hint; the table grows past it) */
  constructor(expected: number | null = null) {
    const slots = slotsFor(expected);
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.used = new Uint8Array(slots);
  }

  add(id: string): void {
    if (this.maybeRepeats) return;
    hashId(id, PAIR, 0);
    this.addHash(PAIR[0] ?? 0, PAIR[1] ?? 0);
  }

  /** an id hashed by hashId (in a worker thread, load/parallel-stage.ts) */
  addHash(h1: number, h2: number): void {
    if (this.maybeRepeats) return;
    if ((this.size + 1) * 2 > this.used.length) this.grow();
    if (this.insert(h1, h2)) this.size++;
    else this.maybeRepeats = true;
  }

  /** false when the pair was already there */
  private insert(h1: number, h2: number): boolean {
    const mask = this.used.length - 1;
    let i = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    while (this.used[i] === 1) {
      if (this.hi[i] === h1 && this.lo[i] === h2) return false;
      i = (i + 1) & mask;
    }
    this.used[i] = 1;
    this.hi[i] = h1;
    this.lo[i] = h2;
    return true;
  }

  private grow(): void {
    const { hi, lo, used } = this;
    this.hi = new Uint32Array(used.length * 2);
    this.lo = new Uint32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    for (let i = 0; i < used.length; i++) if (used[i] === 1) this.insert(hi[i] ?? 0, lo[i] ?? 0);
  }
}
