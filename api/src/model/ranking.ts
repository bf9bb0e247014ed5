/**
 * Ranking from pairwise comparisons (issue 7): residents see two hotspots or themes at a time and
 * pick one (or call it a tie); this module turns those choices into a ranking with uncertainty.
 *
 * Method — Bradley–Terry: item i has strength s_i = exp(θ_i) and P(i beats j) = s_i / (s_i + s_j).
 * The strengths are fitted by maximum (penalised) likelihood with the MM algorithm of
 *   Hunter, D. R. (2004). MM algorithms for generalized Bradley–Terry models.
 *   Annals of Statistics 32(1), 384–406.
 * Every MM step raises the objective; with W_i the (pseudo-)wins of i and n_ij the number of
 * comparisons of i and j, the update is s_i ← W_i / Σ_j n_ij / (s_i + s_j), for all i at once.
 *
 * Ties: a tie counts as half a win for each side (n_ij += 1, W_i += ½, W_j += ½), the usual
 * "split the point" convention. It is not an explicit tie model (Rao–Kupper, Davidson): ties only
 * pull the two strengths towards each other.
 *
 * Prior: every compared item gets `prior` pseudo-wins and `prior` pseudo-losses (default 0.5
 * each) against a virtual reference item whose strength is fixed at 1. This is a weak symmetric
 * shrinkage towards the reference: it makes the estimate exist and be finite for items that never
 * lose or never win, handles comparison graphs that fall apart into disconnected parts (each part
 * is tied to the reference), and fixes the scale during fitting. It must be > 0.
 *
 * Gauge: reported log-scores are centred so that the geometric mean of the scores of the compared
 * items is 1 (φ = θ − mean θ). Items without any comparison carry no information; they get score 1
 * (the geometric mean, i.e. "a typical item"), se null, and are left out of the centring.
 *
 * Standard errors: the observed information of θ (reference fixed at 1, prior included) is
 * H_ii = Σ_j n_ij p_ij p_ji + 2·prior·s_i/(1+s_i)², H_ij = −n_ij p_ij p_ji, which is positive
 * definite because of the prior. Cov(θ) = H⁻¹ is obtained by Gauss–Jordan elimination with partial
 * pivoting, then transformed to the centred gauge: Cov(φ) = C H⁻¹ C with C = I − 11ᵀ/m. The 95 %
 * interval is exp(φ ± 1.96·se). Assumptions: comparisons are independent, the BT model holds
 * (preferences are one-dimensional, so intransitive cycles come out as equal scores), and the
 * normal approximation is reasonable — with few comparisons the intervals are mostly the prior's.
 */

/** One choice: a winner over a loser, or a tie between a and b. Items are string ids. */
export type Comparison =
  | { readonly winner: string; readonly loser: string; readonly tie?: false }
  | { readonly a: string; readonly b: string; readonly tie: true };

export interface RankedItem {
  id: string;
  /** Bradley–Terry strength, normalised so the geometric mean over compared items is 1. */
  score: number;
  logScore: number;
  /** Standard error of logScore from the observed Fisher information; null when not estimable. */
  se: number | null;
  /** 95 % interval on the score scale, exp(logScore ± 1.96·se); equal to score when se is null. */
  low: number;
  high: number;
  wins: number;
  losses: number;
  ties: number;
  comparisons: number;
  /** 1-based; items whose scores are equal within 1e-9 share a rank (1, 1, 3, …). */
  rank: number;
}

export interface Ranking {
  /** Sorted by score descending, then id. */
  items: RankedItem[];
  comparisons: number;
  iterations: number;
  converged: boolean;
  /** One line naming the method. */
  method: string;
}

export interface RankingOptions {
  /** Pseudo-wins and pseudo-losses of every item against a reference of strength 1 (default 0.5). */
  prior?: number;
  /** Maximum number of MM iterations (default 10 000). */
  maxIterations?: number;
  /** Stop when no log-strength moves by more than this in one iteration (default 1e-12). */
  tolerance?: number;
}

const Z95 = 1.959963984540054;
const SCORE_EPS = 1e-9;

/** Fits Bradley–Terry strengths to the comparisons and ranks the items; see the header comment. */
export function rankPairwise(items: readonly string[], comparisons: readonly Comparison[], opts: RankingOptions = {}): Ranking {
  const prior = opts.prior ?? 0.5;
  const maxIterations = opts.maxIterations ?? 10_000;
  const tolerance = opts.tolerance ?? 1e-12;
  if (!(prior > 0) || !Number.isFinite(prior)) throw new RangeError(`prior must be a finite number > 0, got ${prior}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new RangeError(`maxIterations must be a positive integer, got ${maxIterations}`);
  if (!(tolerance > 0)) throw new RangeError(`tolerance must be > 0, got ${tolerance}`);

  const index = new Map<string, number>();
  items.forEach((id, i) => {
    if (index.has(id)) throw new Error(`Duplicate item id '${id}' at position ${i}`);
    index.set(id, i);
  });
  const n = items.length;
  const wins = new Array<number>(n).fill(0);
  const losses = new Array<number>(n).fill(0);
  const ties = new Array<number>(n).fill(0);
  const points = new Array<number>(n).fill(0); // W_i without the prior: wins + ½·ties
  const pairs = new Map<number, { i: number; j: number; count: number }>();
  const lookup = (id: string, k: number): number => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`Comparison ${k} names unknown item '${id}'`);
    return i;
  };
  comparisons.forEach((c, k) => {
    const [x, y] = c.tie ? [lookup(c.a, k), lookup(c.b, k)] : [lookup(c.winner, k), lookup(c.loser, k)];
    if (x === y) throw new Error(`Comparison ${k} compares item '${items[x]}' with itself`);
    if (c.tie) {
      ties[x]! += 1;
      ties[y]! += 1;
      points[x]! += 0.5;
      points[y]! += 0.5;
    } else {
      wins[x]! += 1;
      losses[y]! += 1;
      points[x]! += 1;
    }
    const [i, j] = x < y ? [x, y] : [y, x];
    const key = i * n + j;
    const pair = pairs.get(key) ?? { i, j, count: 0 };
    pair.count += 1;
    pairs.set(key, pair);
  });
  const edges = [...pairs.values()];
  const count = (i: number): number => wins[i]! + losses[i]! + ties[i]!;

  // Hunter's MM, all items at once; the reference (strength 1) enters as 2·prior comparisons.
  let s = new Array<number>(n).fill(1);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations += 1;
    const denom = s.map((si) => (2 * prior) / (si + 1));
    for (const { i, j, count: nij } of edges) {
      const d = nij / (s[i]! + s[j]!);
      denom[i]! += d;
      denom[j]! += d;
    }
    const next = s.map((si, i) => (count(i) === 0 ? 1 : (points[i]! + prior) / denom[i]!));
    converged = next.every((v, i) => Math.abs(Math.log(v) - Math.log(s[i]!)) <= tolerance);
    s = next;
  }

  // Observed information of θ over the compared items (reference fixed), and its inverse.
  const compared = items.map((_, i) => i).filter((i) => count(i) > 0);
  const m = compared.length;
  const pos = new Map(compared.map((i, k) => [i, k]));
  const info = compared.map((i) => {
    const row = new Array<number>(m).fill(0);
    row[pos.get(i)!] = (2 * prior * s[i]!) / (1 + s[i]!) ** 2;
    return row;
  });
  for (const { i, j, count: nij } of edges) {
    const [a, b] = [pos.get(i)!, pos.get(j)!];
    const v = (nij * s[i]! * s[j]!) / (s[i]! + s[j]!) ** 2;
    info[a]![a]! += v;
    info[b]![b]! += v;
    info[a]![b]! -= v;
    info[b]![a]! -= v;
  }
  const cov = invert(info);

  // Centre: φ = θ − mean θ over compared items; Var(φ_i) = Σ_ii − 2·mean_j Σ_ij + mean_jk Σ_jk.
  const theta = s.map(Math.log);
  const shift = m === 0 ? 0 : compared.reduce((acc, i) => acc + theta[i]!, 0) / m;
  let variance: number[] | null = null;
  if (cov) {
    const rowMeans = cov.map((row) => row.reduce((a, v) => a + v, 0) / m);
    const grand = rowMeans.reduce((a, v) => a + v, 0) / m;
    variance = cov.map((row, k) => row[k]! - 2 * rowMeans[k]! + grand);
  }

  const ranked: RankedItem[] = items.map((id, i) => {
    const k = pos.get(i);
    const logScore = k === undefined ? 0 : theta[i]! - shift;
    const v = k === undefined || !variance ? null : variance[k]!;
    const se = v === null || !Number.isFinite(v) ? null : Math.sqrt(Math.max(0, v));
    const score = Math.exp(logScore);
    return {
      id,
      score,
      logScore,
      se,
      low: se === null ? score : Math.exp(logScore - Z95 * se),
      high: se === null ? score : Math.exp(logScore + Z95 * se),
      wins: wins[i]!,
      losses: losses[i]!,
      ties: ties[i]!,
      comparisons: count(i),
      rank: 0,
    };
  });
  ranked.sort((x, y) => (Math.abs(x.score - y.score) > SCORE_EPS ? y.score - x.score : x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  ranked.forEach((item, k) => {
    const prev = ranked[k - 1];
    item.rank = prev && Math.abs(prev.score - item.score) <= SCORE_EPS ? prev.rank : k + 1;
  });

  return {
    items: ranked,
    comparisons: comparisons.length,
    iterations,
    converged,
    method: `Bradley–Terry, Hunter (2004) MM; tie = ½ win each; prior ${prior} pseudo-wins/losses vs. reference of strength 1; geometric mean 1; SE from observed information`,
  };
}

/** Inverse of a small dense symmetric positive definite matrix by Gauss–Jordan elimination with partial pivoting; null when singular. */
function invert(matrix: readonly (readonly number[])[]): number[][] | null {
  const m = matrix.length;
  const a = matrix.map((row, r) => [...row, ...row.map((_, c) => (c === r ? 1 : 0))]);
  const scale = Math.max(1e-300, ...matrix.map((row) => Math.max(...row.map(Math.abs))));
  for (let col = 0; col < m; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < m; r += 1) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) <= 1e-13 * scale) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]!;
    const inv = 1 / p[col]!;
    for (let c = 0; c < 2 * m; c += 1) p[c]! *= inv;
    for (let r = 0; r < m; r += 1) {
      if (r === col) continue;
      const row = a[r]!;
      const f = row[col]!;
      if (f !== 0) for (let c = 0; c < 2 * m; c += 1) row[c]! -= f * p[c]!;
    }
  }
  return a.map((row) => row.slice(m));
}
