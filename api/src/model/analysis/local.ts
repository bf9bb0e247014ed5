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

/** Every finding among the given works, moratoria and assets; with `only`, just those involving these works. */
export function analyseLocal(rules: AnalysisRules, input: LocalInput, only?: ReadonlySet<number>): Finding[] {
  const works = indexed(input.works.filter((w) => ANALYSED_STATUSES.includes(w.status ?? 'gepland')));
  const moratoria = indexed(input.moratoria);
  const assets = indexed(input.assets);
  const findings: Finding[] = [];
  const maxHalf = Math.max(0, ...works.items.map((w) => halfWidth(rules, w)));
  const maxPair = maxPairDistance(rules);
  works.items.forEach((w, i) => {
    const p = works.parts[i] as Parts;
    const r = halfWidth(rules, w);
    const mine = !only || only.has(w.id);
    for (const j of near(works, p, r + maxHalf + maxPair)) {
      const other = works.items[j] as LocalWork;
      if (other.id <= w.id || (!mine && !only?.has(other.id))) continue;
      const q = works.parts[j] as Parts;
      const reach = r + halfWidth(rules, other) + maxPair;
      if (bboxGap(p.bbox, q.bbox) > reach) continue;
      const f = classifyPair(rules, w, other, planarDistance(p, q));
      if (f) findings.push(f);
    }
    if (!mine) return;
    for (const j of near(moratoria, p, r)) {
      const q = moratoria.parts[j] as Parts;
      if (planarDistance(p, q) > r) continue;
      const f = classifyMoratorium(w, moratoria.items[j] as LocalMoratorium);
      if (f) findings.push(f);
    }
    if (!w.opensGround) return;
    const reach = r + rules.couplingDistanceM;
    const due: CouplingAsset[] = [];
    for (const j of near(assets, p, reach)) {
      const a = assets.items[j] as LocalAsset;
      const year = dueYear(rules, a);
      if (year === null || planarDistance(p, assets.parts[j] as Parts) > reach) continue;
      due.push({ id: a.id, system: a.system, ownerId: a.ownerId, dueYear: year });
    }
    findings.push(...classifyCouplings(rules, w, due));
  });
  return sortFindings(findings);
}
