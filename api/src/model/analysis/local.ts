/**
 * The analysis in memory, for the browser's live what-if (issue 6): the same rules and the same
 * classification as the PostGIS analysis (api/src/analysis), with candidates from a flatbush
 * index instead of GiST and distances from the planar kernel instead of ST_Distance. The two are
 * held to the same answers by tests/integration/analysis-agreement.test.ts.
 * Coordinates must be in the metric working CRS (the API serves them so for the analysis).
 */
import Flatbush from 'flatbush';
import { ANALYSED_STATUSES, type AnalysisRules, dueYear } from '../analysis-rules.ts';
import {
  type AnalysisMoratorium, type AnalysisWork, type CouplingAsset, type Finding,
  classifyCouplings, classifyMoratorium, classifyPair, halfWidth, maxPairDistance, sortFindings,
} from './finding.ts';
import { type Parts, type PlanarGeometry, bboxGap, partsOf, planarDistance } from './planar.ts';

export interface LocalWork extends AnalysisWork { geometry: PlanarGeometry; status?: string }
export interface LocalMoratorium extends AnalysisMoratorium { geometry: PlanarGeometry }
export interface LocalAsset {
  id: number;
  system: string;
  ownerId: number | null;
  material: string | null;
  inServiceYear: number | null;
  replacementYear: number | null;
  geometry: PlanarGeometry;
}

export interface LocalInput {
  works: readonly LocalWork[];
  moratoria: readonly LocalMoratorium[];
  assets: readonly LocalAsset[];
}


interface Indexed<T> { items: T[]; parts: Parts[]; index: Flatbush | null }

function indexed<T extends { geometry: PlanarGeometry }>(items: readonly T[]): Indexed<T> {
  const list = [...items];
  const parts = list.map((i) => partsOf(i.geometry));
  if (list.length === 0) return { items: list, parts, index: null };
  const index = new Flatbush(list.length);
  for (const p of parts) index.add(p.bbox[0], p.bbox[1], p.bbox[2], p.bbox[3]);
  index.finish();
  return { items: list, parts, index };
}

function near<T>(set: Indexed<T>, p: Parts, reach: number): number[] {
  if (!set.index) return [];
  return set.index.search(p.bbox[0] - reach, p.bbox[1] - reach, p.bbox[2] + reach, p.bbox[3] + reach);
}

/** The input with its spatial indexes built: build once per view, analyse many times (the what-if). */
export interface PreparedInput {
  works: Indexed<LocalWork>;
  moratoria: Indexed<LocalMoratorium>;
  assets: Indexed<LocalAsset>;
  /** position of each analysed work in `works` */
  position: Map<number, number>;
}

export function prepareLocal(input: LocalInput): PreparedInput {
  const works = indexed(input.works.filter((w) => ANALYSED_STATUSES.includes(w.status ?? 'gepland')));
  return { works, moratoria: indexed(input.moratoria), assets: indexed(input.assets), position: new Map(works.items.map((w, i) => [w.id, i])) };
}

/** Every finding among the given works, moratoria and assets; with `only`, just those involving these works. */
export function analyseLocal(rules: AnalysisRules, input: LocalInput, only?: ReadonlySet<number>): Finding[] {
  return analysePrepared(rules, prepareLocal(input), only);
}

/**
 * The findings of a prepared input; with `only`, just those involving these works, found from them
 * alone through the indexes (a what-if costs what the shifted work meets, not the whole view).
 * `replace`: a work with the same id and geometry but other dates (the shifted work).
 */
export function analysePrepared(rules: AnalysisRules, prep: PreparedInput, only?: ReadonlySet<number>, replace?: LocalWork): Finding[] {
  const { works, moratoria, assets } = prep;
  const work = (i: number): LocalWork => {
    const w = works.items[i] as LocalWork;
    return replace && w.id === replace.id ? replace : w;
  };
  const findings: Finding[] = [];
  const maxHalf = Math.max(0, ...works.items.map((w) => halfWidth(rules, w)));
  const maxPair = maxPairDistance(rules);
  const from = only ? [...only].map((id) => prep.position.get(id)).filter((i): i is number => i !== undefined) : works.items.map((_, i) => i);
  for (const i of from) {
    const w = work(i);
    const p = works.parts[i] as Parts;
    const r = halfWidth(rules, w);
    for (const j of near(works, p, r + maxHalf + maxPair)) {
      const other = work(j);
      // each pair once: from its lower id, or from the one work of `only` in it
      if (other.id === w.id || (other.id < w.id && (!only || only.has(other.id)))) continue;
      const q = works.parts[j] as Parts;
      const reach = r + halfWidth(rules, other) + maxPair;
      if (bboxGap(p.bbox, q.bbox) > reach) continue;
      const [lo, hi] = w.id < other.id ? [w, other] : [other, w];
      const f = classifyPair(rules, lo, hi, planarDistance(p, q));
      if (f) findings.push(f);
    }
    for (const j of near(moratoria, p, r)) {
      const q = moratoria.parts[j] as Parts;
      if (planarDistance(p, q) > r) continue;
      const f = classifyMoratorium(w, moratoria.items[j] as LocalMoratorium);
      if (f) findings.push(f);
    }
    if (!w.opensGround) continue;
    const reach = r + rules.couplingDistanceM;
    const due: CouplingAsset[] = [];
    for (const j of near(assets, p, reach)) {
      const a = assets.items[j] as LocalAsset;
      const year = dueYear(rules, a);
      if (year === null || planarDistance(p, assets.parts[j] as Parts) > reach) continue;
      due.push({ id: a.id, system: a.system, ownerId: a.ownerId, dueYear: year });
    }
    findings.push(...classifyCouplings(rules, w, due));
  }
  return sortFindings(findings);
}
