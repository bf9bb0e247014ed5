import type { CrsInfo, FormatId } from '../formats/types.ts';

export interface FeatureIssue {
  /** 1-based feature number in the source file */
  index: number;
  reason: string;
}

export interface ImportReport {
  layer: { datasetId: number; name: string };
  fileName: string;
  format: FormatId;
  read: number;
  loaded: number;
  new: number;
  updated: number;
  unchanged: number;
  /** assets of an earlier import of this layer that the new file no longer has */
  removed: number;
  rejected: FeatureIssue[];
  rejectedCount: number;
  repaired: FeatureIssue[];
  repairedCount: number;
  attention: FeatureIssue[];
  attentionCount: number;
  crs: { epsg: number | null; guessed: boolean; detail: string };
  durationMs: number;
  /** where the time went (ms): copy (reading, checking and COPY), validate, dedupe, match, index, attach */
  phasesMs?: Record<string, number>;
}

/** Keep the first `limit` issues in the report; the count says how many there were. */
export class IssueList {
  readonly items: FeatureIssue[] = [];
  count = 0;
  constructor(private readonly limit = 1000) {}
  add(index: number, reason: string): void {
    this.count++;
    if (this.items.length < this.limit) this.items.push({ index, reason });
  }

  /** append another list's issues (of later features) */
  merge(other: { items: readonly FeatureIssue[]; count: number }): void {
    for (const i of other.items) this.add(i.index, i.reason);
    this.count += other.count - other.items.length;
  }
}

export function crsSummary(crs: CrsInfo): ImportReport['crs'] {
  return { epsg: crs.epsg, guessed: crs.guessed, detail: crs.detail };
}
