/**
 * Runs INSIDE headless Chromium (bundled by esbuild in analysis-browser.ts): the browser's what-if
 * of the analysis on the works in view, timed with performance.now() in the page. Per shift of one
 * work by 3 months, three recomputes:
 *  - full: analyseLocal over every work in view (all their findings);
 *  - app: the app's own what-if (web/src/features/analysis/what-if.ts whatIf), the whole call timed
 *    around it (the findings of the work before and after the shift) on one input object per view, as
 *    the app's memo keeps it: its indexes are built once per view (timed apart: appPrepareMs);
 *  - limited: a hand-made reference: analyseLocal over the shifted work and only the works, assets and
 *    moratoria within its reach, found through a flatbush index built once per view (indexMs).
 * The findings of the shifted work must be the same in all three (counted as mismatches if not).
 */
import Flatbush from 'flatbush';
import { type AnalysisRules, DEFAULT_RULES } from '../../api/src/model/analysis-rules.ts';
import { type Finding, halfWidth, maxPairDistance } from '../../api/src/model/analysis/finding.ts';
import { type LocalAsset, type LocalInput, type LocalMoratorium, type LocalWork, analyseLocal } from '../../api/src/model/analysis/local.ts';
import { partsOf } from '../../api/src/model/analysis/planar.ts';

/** The app's what-if functions, handed in by the bundle's entry (they live in the web client). */
export interface WhatIfApi {
  preparedFor(input: LocalInput & { rules: AnalysisRules }): unknown;
  whatIf(input: LocalInput & { rules: AnalysisRules }, workId: number, months: number): { findings: Finding[]; ms: number } | null;
  shiftWork(w: LocalWork, months: number): LocalWork;
}

export interface PageTimes {
  full: number[];
  app: number[];
  limited: number[];
  /** building the per-view index that `limited` searches (once per view, not per shift) */
  indexMs: number;
  /** the app's what-if building its indexes for the view (once per view, not per shift) */
  appPrepareMs: number;
  /** findings of all works in view, before any shift */
  findingsInView: number;
  /** mean size of the limited input */
  subset: { works: number; assets: number; moratoria: number };
  mismatches: number;
}

type Box = [number, number, number, number];

function indexOf(items: readonly { geometry: LocalWork['geometry'] }[]): { index: Flatbush | null; boxes: Box[] } {
  const boxes = items.map((i) => partsOf(i.geometry).bbox);
  if (boxes.length === 0) return { index: null, boxes };
  const index = new Flatbush(boxes.length);
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  index.finish();
  return { index, boxes };
}

const around = (set: { index: Flatbush | null }, b: Box, reach: number): number[] =>
  set.index ? set.index.search(b[0] - reach, b[1] - reach, b[2] + reach, b[3] + reach) : [];

const ids = (fs: readonly Finding[], workId: number): string => fs.filter((f) => f.works.includes(workId)).map((f) => f.id).sort().join(',');

/** `picks`: indexes into input.works to shift, the first `warmup` of them untimed. */
export function measure(api: WhatIfApi, input: LocalInput, picks: readonly number[], warmup: number): PageTimes {
  const rules = DEFAULT_RULES;
  const started = performance.now();
  const near = { works: indexOf(input.works), assets: indexOf(input.assets), moratoria: indexOf(input.moratoria) };
  const indexMs = performance.now() - started;
  const maxHalf = Math.max(0, ...input.works.map((w) => halfWidth(rules, w)));
  const maxPair = maxPairDistance(rules);
  const view = { ...input, rules };
  const prepStarted = performance.now();
  api.preparedFor(view);
  const appPrepareMs = performance.now() - prepStarted;
  const out: PageTimes = { full: [], app: [], limited: [], indexMs, appPrepareMs, findingsInView: analyseLocal(rules, input).length, subset: { works: 0, assets: 0, moratoria: 0 }, mismatches: 0 };
  picks.forEach((i, k) => {
    const w = input.works[i] as LocalWork;
    const shifted = api.shiftWork(w, 3);
    const works = [...input.works];
    works[i] = shifted;

    let t = performance.now();
    const all = analyseLocal(rules, { ...input, works });
    const fullMs = performance.now() - t;

    t = performance.now();
    const app = api.whatIf(view, w.id, 3);
    const appMs = performance.now() - t;

    t = performance.now();
    const box = near.works.boxes[i] as Box;
    const r = halfWidth(rules, w);
    const subset = {
      works: around(near.works, box, r + maxHalf + maxPair).map((j) => (j === i ? shifted : input.works[j] as LocalWork)),
      assets: around(near.assets, box, r + rules.couplingDistanceM).map((j) => input.assets[j] as LocalAsset),
      moratoria: around(near.moratoria, box, r).map((j) => input.moratoria[j] as LocalMoratorium),
    };
    const limited = analyseLocal(rules, subset, new Set([w.id]));
    const limitedMs = performance.now() - t;

    const expected = ids(all, w.id);
    if (!app || ids(app.findings, w.id) !== expected || ids(limited, w.id) !== expected) out.mismatches++;
    if (k < warmup) return;
    out.full.push(fullMs);
    out.app.push(app ? appMs : NaN);
    out.limited.push(limitedMs);
    out.subset.works += subset.works.length;
    out.subset.assets += subset.assets.length;
    out.subset.moratoria += subset.moratoria.length;
  });
  const n = Math.max(1, out.full.length);
  out.subset = { works: out.subset.works / n, assets: out.subset.assets / n, moratoria: out.subset.moratoria / n };
  return out;
}
