import { describe, expect, it } from 'vitest';
import { rankPairwise, type Comparison, type Ranking } from './ranking.ts';

const beat = (winner: string, loser: string, times = 1): Comparison[] => Array.from({ length: times }, () => ({ winner, loser }));
const tie = (a: string, b: string, times = 1): Comparison[] => Array.from({ length: times }, () => ({ a, b, tie: true as const }));
const item = (r: Ranking, id: string) => {
  const found = r.items.find((x) => x.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
};

/** Root of a decreasing function on [lo, hi] by bisection. */
function bisect(f: (x: number) => number, lo: number, hi: number): number {
  for (let k = 0; k < 200; k += 1) {
    const mid = (lo + hi) / 2;
    if (f(mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Gradient of the penalised log-likelihood in θ (reference item fixed at θ = 0), written out
 * independently of the implementation: per comparison, winner +1 (a tie ½ each) minus n·P(win);
 * per compared item, prior − 2·prior·σ(θ_i) from the prior's pseudo-wins and pseudo-losses.
 */
function gradient(theta: Map<string, number>, comparisons: Comparison[], prior: number): Map<string, number> {
  const g = new Map<string, number>();
  const add = (id: string, v: number) => g.set(id, (g.get(id) ?? 0) + v);
  for (const c of comparisons) {
    const [x, y] = c.tie ? [c.a, c.b] : [c.winner, c.loser];
    const px = 1 / (1 + Math.exp(theta.get(y)! - theta.get(x)!));
    add(x, (c.tie ? 0.5 : 1) - px);
    add(y, (c.tie ? 0.5 : 0) - (1 - px));
  }
  for (const [id, t] of theta) add(id, prior - (2 * prior) / (1 + Math.exp(-t)));
  return g;
}

describe('rankPairwise', () => {
  it('orders a transitive set with strictly decreasing scores and ranks 1, 2, 3', () => {
    const r = rankPairwise(['c', 'b', 'a'], [...beat('a', 'b', 3), ...beat('b', 'c', 3), ...beat('a', 'c', 3)]);
    expect(r.converged).toBe(true);
    expect(r.comparisons).toBe(9);
    expect(r.items.map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(r.items.map((x) => x.rank)).toEqual([1, 2, 3]);
    const [a, b, c] = r.items.map((x) => x.score);
    expect(a).toBeGreaterThan(b!);
    expect(b).toBeGreaterThan(c!);
    expect(a! * b! * c!).toBeCloseTo(1, 12); // geometric mean 1
    expect(item(r, 'b').logScore).toBeCloseTo(0, 10); // symmetric position in the middle
    expect(item(r, 'a')).toMatchObject({ wins: 6, losses: 0, ties: 0, comparisons: 6 });
    expect(r.method).toMatch(/Bradley–Terry/);
  });

  it('gives symmetric choices equal scores and the same rank', () => {
    const r = rankPairwise(['a', 'b'], [...beat('a', 'b', 2), ...beat('b', 'a', 2)]);
    expect(item(r, 'a').score).toBeCloseTo(item(r, 'b').score, 12);
    expect(item(r, 'a').score).toBeCloseTo(1, 12);
    expect(r.items.map((x) => [x.id, x.rank])).toEqual([['a', 1], ['b', 1]]);
  });

  it('gives all ties equal scores', () => {
    const r = rankPairwise(['a', 'b', 'c'], [...tie('a', 'b', 2), ...tie('b', 'c'), ...tie('a', 'c', 3)]);
    for (const x of r.items) {
      expect(x.score).toBeCloseTo(1, 12);
      expect(x.rank).toBe(1);
    }
    expect(item(r, 'a')).toMatchObject({ wins: 0, losses: 0, ties: 5, comparisons: 5 });
  });

  it('gives an intransitive cycle equal scores', () => {
    const r = rankPairwise(['a', 'b', 'c'], [...beat('a', 'b', 4), ...beat('b', 'c', 4), ...beat('c', 'a', 4)]);
    for (const x of r.items) expect(x.score).toBeCloseTo(1, 12);
    expect(r.items.map((x) => x.rank)).toEqual([1, 1, 1]);
    expect(r.items.map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });

  it('gives an item that never loses a finite score and se', () => {
    const r = rankPairwise(['a', 'b', 'c'], [...beat('a', 'b', 10), ...beat('a', 'c', 10), ...beat('b', 'c', 1)]);
    const a = item(r, 'a');
    expect(r.converged).toBe(true);
    expect(a.rank).toBe(1);
    expect(Number.isFinite(a.score)).toBe(true);
    expect(a.se).not.toBeNull();
    expect(Number.isFinite(a.se!)).toBe(true);
    expect(a.low).toBeLessThan(a.score);
    expect(a.high).toBeGreaterThan(a.score);
    expect(a.low).toBeCloseTo(Math.exp(a.logScore - 1.959964 * a.se!), 5);
  });

  it('matches an independent solution for two items', () => {
    // With a and b only, summing the two score equations gives σ(θa) + σ(θb) = 1, so θb = −θa and
    // x = s_a solves w + p − n·x²/(x² + 1) − 2p·x/(1 + x) = 0 (decreasing in x).
    const [w, l, p] = [7, 2, 0.5];
    const x = bisect((v) => w + p - ((w + l) * v * v) / (v * v + 1) - (2 * p * v) / (1 + v), 1e-6, 1e6);
    const r = rankPairwise(['a', 'b'], [...beat('a', 'b', w), ...beat('b', 'a', l)], { prior: p });
    expect(item(r, 'a').logScore).toBeCloseTo(Math.log(x), 9);
    expect(item(r, 'b').logScore).toBeCloseTo(-Math.log(x), 9);
  });

  it('satisfies the score equations of the penalised likelihood to 1e-8', () => {
    const comparisons = [
      ...beat('a', 'b', 5), ...beat('b', 'a'), ...beat('b', 'c', 2), ...tie('c', 'a'), ...beat('a', 'c', 3),
      ...beat('c', 'd'), ...beat('d', 'b', 2), ...beat('e', 'f', 2), // e–f is disconnected; e never loses
    ];
    const prior = 0.7;
    const r = rankPairwise(['a', 'b', 'c', 'd', 'e', 'f', 'g'], comparisons, { prior });
    expect(r.converged).toBe(true);
    const phi = r.items.filter((x) => x.comparisons > 0).map((x) => [x.id, x.logScore] as const);
    // The reported log-scores are centred; recover the shift to the reference gauge from the summed
    // score equation (pair terms cancel: Σ_i (prior − 2·prior·σ(θ_i)) = 0), then check every component.
    const shift = bisect((c) => phi.reduce((acc, [, t]) => acc + prior - (2 * prior) / (1 + Math.exp(-(t + c))), 0), -50, 50);
    const g = gradient(new Map(phi.map(([id, t]) => [id, t + shift])), comparisons, prior);
    expect(g.size).toBe(6);
    for (const v of g.values()) expect(Math.abs(v)).toBeLessThan(1e-8);
    expect(item(r, 'g')).toMatchObject({ score: 1, se: null, comparisons: 0 });
  });

  it('gives a smaller se with more comparisons in the same proportions', () => {
    const base = [...beat('a', 'b', 3), ...beat('b', 'a', 1), ...beat('b', 'c', 2), ...beat('c', 'a', 1)];
    const small = rankPairwise(['a', 'b', 'c'], base);
    const large = rankPairwise(['a', 'b', 'c'], Array.from({ length: 10 }, () => base).flat());
    for (const id of ['a', 'b', 'c']) {
      expect(item(large, id).se!).toBeLessThan(item(small, id).se!);
      expect(item(large, id).high - item(large, id).low).toBeLessThan(item(small, id).high - item(small, id).low);
    }
  });

  it('throws on an unknown id, naming it and the comparison index', () => {
    expect(() => rankPairwise(['a', 'b'], [...beat('a', 'b'), { winner: 'a', loser: 'zz' }])).toThrow(/Comparison 1 .*'zz'/);
    expect(() => rankPairwise(['a', 'b'], [{ a: 'q', b: 'a', tie: true }])).toThrow(/Comparison 0 .*'q'/);
  });

  it('throws on a self-comparison', () => {
    expect(() => rankPairwise(['a', 'b'], [...beat('a', 'b'), ...beat('b', 'b')])).toThrow(/Comparison 1 .*'b' with itself/);
    expect(() => rankPairwise(['a'], tie('a', 'a'))).toThrow(/itself/);
  });

  it('gives items without comparisons score 1, se null and 0 comparisons', () => {
    const r = rankPairwise(['x', 'a', 'b', 'y'], beat('a', 'b', 2));
    for (const id of ['x', 'y']) {
      expect(item(r, id)).toMatchObject({ score: 1, logScore: 0, se: null, low: 1, high: 1, wins: 0, losses: 0, ties: 0, comparisons: 0 });
    }
    expect(item(r, 'x').rank).toBe(item(r, 'y').rank);
    expect(r.items.map((x) => x.id)).toEqual(['a', 'x', 'y', 'b']);
    const empty = rankPairwise(['p', 'q'], []);
    expect(empty.items.map((x) => [x.score, x.se, x.rank])).toEqual([[1, null, 1], [1, null, 1]]);
  });
});
