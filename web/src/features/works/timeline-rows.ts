/**
 * The timeline's rows as a list with fixed heights, and which of them to put in the page: a
 * municipality or a grid operator plans thousands of works, and a row per work in the DOM made
 * every pointer move over the map and every frame of a pan pay for style, hit testing and paint of
 * thousands of elements (issue 9, client benchmark). Small timelines are drawn whole; above
 * WINDOW_ABOVE_ROWS rows only those in and near the scrolled view are, plus the rows that must stay
 * (the Tab stop, the selected work, the bar with focus). Pure: the component draws what this says.
 */
import type { TimelineBar, TimelineGroup, TimelineLayout } from './timeline-layout.ts';

/** Height of a work's row and of a group's title (works.css keeps the same numbers). */
export const ROW_PX = 22;
export const GROUP_PX = 26;
/** Up to this many rows everything is drawn (the page can then be searched and printed whole). */
export const WINDOW_ABOVE_ROWS = 150;
/** Rows drawn beyond the view on each side, so a wheel step or an arrow key finds them there. */
export const OVERSCAN_PX = 20 * ROW_PX;

export type TimelineRow =
  | { kind: 'group'; key: string; top: number; group: TimelineGroup }
  | { kind: 'bar'; key: string; top: number; bar: TimelineBar; group: TimelineGroup };

export interface TimelineRows {
  rows: TimelineRow[];
  /** Height of all rows together (px). */
  height: number;
  /** Bar key → row index. */
  indexOf: ReadonlyMap<string, number>;
  /** Work id → the indices of its rows (one per group it appears in). */
  rowsOfWork: ReadonlyMap<number, readonly number[]>;
}

export function timelineRows(layout: TimelineLayout): TimelineRows {
  const rows: TimelineRow[] = [];
  const indexOf = new Map<string, number>();
  const rowsOfWork = new Map<number, number[]>();
  let top = 0;
  for (const group of layout.groups) {
    rows.push({ kind: 'group', key: `group:${group.key}`, top, group });
    top += GROUP_PX;
    for (const bar of group.bars) {
      indexOf.set(bar.key, rows.length);
      const own = rowsOfWork.get(bar.id);
      if (own) own.push(rows.length);
      else rowsOfWork.set(bar.id, [rows.length]);
      rows.push({ kind: 'bar', key: bar.key, top, bar, group });
      top += ROW_PX;
    }
  }
  return { rows, height: top, indexOf, rowsOfWork };
}

const heightOf = (r: TimelineRow): number => (r.kind === 'group' ? GROUP_PX : ROW_PX);

/** Index of the first row whose bottom lies below y (rows.length when none). */
function firstBelow(rows: readonly TimelineRow[], y: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = rows[mid];
    if (r && r.top + heightOf(r) <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The row indices to draw, ascending: all of them for a short timeline; else those overlapping
 * [viewTop − overscan, viewTop + viewHeight + overscan] (in the rows' own coordinates) and the
 * rows of `keep` (bar keys; unknown keys are ignored) and of every bar of `keepWorkId`.
 */
export function rowsToDraw(
  t: TimelineRows,
  viewTop: number,
  viewHeight: number,
  keep: readonly (string | null)[] = [],
  keepWorkId: number | null = null,
): number[] {
  const n = t.rows.length;
  if (n <= WINDOW_ABOVE_ROWS) return Array.from({ length: n }, (_, i) => i);
  const from = firstBelow(t.rows, viewTop - OVERSCAN_PX);
  const to = firstBelow(t.rows, viewTop + Math.max(0, viewHeight) + OVERSCAN_PX);
  const out = new Set<number>();
  for (let i = from; i <= Math.min(n - 1, to); i++) out.add(i);
  for (const key of keep) {
    const i = key === null ? undefined : t.indexOf.get(key);
    if (i !== undefined) out.add(i);
  }
  if (keepWorkId !== null) for (const i of t.rowsOfWork.get(keepWorkId) ?? []) out.add(i);
  return [...out].sort((a, b) => a - b);
}

/** The drawn rows cut into runs of one group each (drawn is ascending, and a group's rows are contiguous). */
export function groupRuns(t: TimelineRows, drawn: readonly number[]): { group: TimelineGroup; rows: number[] }[] {
  const runs: { group: TimelineGroup; rows: number[] }[] = [];
  for (const i of drawn) {
    const row = t.rows[i];
    if (!row) continue;
    const last = runs.at(-1);
    if (last && last.group === row.group) last.rows.push(i);
    else runs.push({ group: row.group, rows: [i] });
  }
  return runs;
}
