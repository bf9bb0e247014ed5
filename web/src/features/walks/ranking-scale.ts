/**
 * The scale of the pairwise ranking chart (issue 7): Bradley–Terry scores are ratios (score 2 =
 * twice as strong as a typical item, score 1 = the geometric mean), so they go on a log scale, and
 * the bars run from 1 to the score (right: above typical, left: below). The domain covers every
 * score and every 95 % interval, always with 1 in it, and ticks are the 1–2–5 steps inside it. Pure.
 */

export interface ScaleInput { score: number; low: number; high: number }

export interface RankingScale {
  /** The scores at the left and right edge. */
  domain: [number, number];
  /** Score → x in [left, left + width]; values outside the domain are clamped to it. */
  x: (score: number) => number;
  /** x of score 1 (where the bars start). */
  origin: number;
  ticks: number[];
}

const positive = (v: number): number | null => (Number.isFinite(v) && v > 0 ? v : null);

/** 1–2–5 steps from 10^-k to 10^k inside [lo, hi]. */
function ticksIn(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(6));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  }
  // many decades: keep the powers of ten only
  return out.length > 7 ? out.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9) : out;
}

/**
 * The log scale for the items over `width` pixels starting at `left`. With no items, or all at 1,
 * the domain is ½…2. A little room (5 % of the log range) is left on both sides.
 */
export function rankingScale(items: readonly ScaleInput[], width: number, left = 0): RankingScale {
  const values = items.flatMap((i) => [i.score, i.low, i.high]).map(positive).filter((v): v is number => v !== null);
  let lo = Math.log10(Math.min(1, ...values));
  let hi = Math.log10(Math.max(1, ...values));
  if (hi - lo < Math.log10(4)) {
    // at least ½…2 around what there is: small differences do not fill the whole width
    const mid = (hi + lo) / 2;
    lo = Math.min(lo, mid - Math.log10(2));
    hi = Math.max(hi, mid + Math.log10(2));
  }
  const padding = (hi - lo) * 0.05;
  lo -= padding;
  hi += padding;
  const span = hi - lo;
  const x = (score: number): number => {
    const v = positive(score);
    const l = v === null ? lo : Math.min(hi, Math.max(lo, Math.log10(v)));
    return left + ((l - lo) / span) * width;
  };
  const domain: [number, number] = [10 ** lo, 10 ** hi];
  return { domain, x, origin: x(1), ticks: ticksIn(domain[0], domain[1]) };
}
