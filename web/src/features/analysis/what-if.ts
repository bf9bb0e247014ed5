/**
 * The live what-if (issue 6): shift one work by whole months and see which of its findings
 * appear and disappear, with the same rules as the server (model/analysis/local.ts) on the input
 * of the works in view. The spatial indexes of the view are built once (per input); each shift then
 * recomputes only the findings of the shifted work, from it through the indexes. Pure but for that cache.
 */
import type { Finding } from '@model/analysis/finding.ts';
import { type LocalWork, type PreparedInput, analysePrepared, prepareLocal } from '@model/analysis/local.ts';
import type { WhatIfInput } from '../../api/analysis-endpoints.ts';

/** 'YYYY-MM-DD' plus `months` calendar months; the day is clamped to the month's length. */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function shiftWork(w: LocalWork, months: number): LocalWork {
  const shift = (d: string | null): string | null => (d === null ? null : addMonths(d, months));
  return {
    ...w,
    earliestStart: shift(w.earliestStart),
    preferredStart: addMonths(w.preferredStart, months),
    preferredEnd: addMonths(w.preferredEnd, months),
    latestEnd: shift(w.latestEnd),
  };
}

export interface WhatIfResult {
  findings: Finding[];
  appeared: Finding[];
  gone: Finding[];
  /** Milliseconds the recompute took. */
  ms: number;
}

const prepared = new WeakMap<WhatIfInput, PreparedInput>();

/** The indexes of a view's input, built on first use (the what-if's slider moves many times per view). */
export function preparedFor(input: WhatIfInput): PreparedInput {
  let p = prepared.get(input);
  if (!p) {
    p = prepareLocal(input);
    prepared.set(input, p);
  }
  return p;
}

/** The findings of `workId` now, and after shifting it by `months`; what appeared and what is gone. */
export function whatIf(input: WhatIfInput, workId: number, months: number, now: () => number = () => performance.now()): WhatIfResult | null {
  const work = input.works.find((w) => w.id === workId);
  if (!work) return null;
  const only = new Set([workId]);
  const prep = preparedFor(input);
  const before = analysePrepared(input.rules, prep, only);
  const started = now();
  const after = analysePrepared(input.rules, prep, only, shiftWork(work, months));
  const ms = now() - started;
  const key = (f: Finding): string => `${f.id}|${f.type}`;
  const had = new Set(before.map(key));
  const has = new Set(after.map(key));
  return { findings: after, appeared: after.filter((f) => !had.has(key(f))), gone: before.filter((f) => !has.has(key(f))), ms };
}
