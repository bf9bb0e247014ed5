/**
 * The works timeline of the area report (issue 8): a Gantt chart per owner as SVG. Each work is a
 * row; its preferred window is the bar, its flexible window (earliest start .. latest end, the
 * "rek") a thin line through it; a red line marks today. Windows are clipped to the horizon and
 * an arrow says when they run on beyond it. One chart per owner, so a printed page can break
 * between owners. Layout (pure numbers) and drawing are separate: the layout is unit-tested.
 */
import { escapeHtml } from '../ogc/html.ts';
import { dayNumber } from '../model/analysis-rules.ts';

export interface TimelineWork {
  id: number;
  title: string;
  status: string;
  earliestStart: string | null;
  preferredStart: string | null;
  preferredEnd: string | null;
  latestEnd: string | null;
  /** e.g. "B2" when the work is in a bundle */
  tag?: string | undefined;
}

export interface TimelineRow {
  work: TimelineWork;
  y: number;
  bar: { x0: number; x1: number } | null;
  flex: { x0: number; x1: number } | null;
  /** the window runs on before / after the horizon */
  before: boolean;
  after: boolean;
}

export interface TimelineLayout {
  width: number;
  height: number;
  /** where the time axis starts (after the labels) */
  left: number;
  rows: TimelineRow[];
  ticks: { x: number; label: string }[];
  today: number | null;
}

export const ROW = 16;
const AXIS = 20;
const LABEL_WIDTH = 290;

/** The x of a day on an axis from `from` to `to` over [left, width − 8]. */
export function dayX(day: number, from: number, to: number, left: number, width: number): number {
  return left + ((day - from) / Math.max(to - from, 1)) * (width - 8 - left);
}

export function layoutTimeline(works: readonly TimelineWork[], horizon: { from: string; to: string }, today: string, width = 760): TimelineLayout {
  const from = dayNumber(horizon.from);
  const to = dayNumber(horizon.to);
  const x = (d: number) => dayX(Math.min(Math.max(d, from), to), from, to, LABEL_WIDTH, width);
  const rows = works.map((work, i): TimelineRow => {
    const ps = work.preferredStart ?? work.earliestStart;
    const pe = work.preferredEnd ?? work.latestEnd;
    const fs = dayNumber(work.earliestStart ?? ps ?? horizon.from);
    const fe = dayNumber(work.latestEnd ?? pe ?? horizon.to);
    const y = AXIS + i * ROW;
    const visible = (a: number, b: number) => b >= from && a <= to;
    const bar = ps && pe && visible(dayNumber(ps), dayNumber(pe)) ? { x0: x(dayNumber(ps)), x1: Math.max(x(dayNumber(pe)), x(dayNumber(ps)) + 1.5) } : null;
    const flex = visible(fs, fe) && (work.earliestStart !== null || work.latestEnd !== null) ? { x0: x(fs), x1: x(fe) } : null;
    return { work, y, bar, flex, before: fs < from, after: fe > to };
  });
  const ticks: { x: number; label: string }[] = [];
  const firstYear = Number(horizon.from.slice(0, 4));
  const lastYear = Number(horizon.to.slice(0, 4));
  for (let year = firstYear; year <= lastYear + 1; year++) {
    const d = dayNumber(`${year}-01-01`);
    if (d >= from && d <= to) ticks.push({ x: dayX(d, from, to, LABEL_WIDTH, width), label: String(year) });
  }
  const t = dayNumber(today);
  return { width, height: AXIS + rows.length * ROW + 4, left: LABEL_WIDTH, rows, ticks, today: t >= from && t <= to ? dayX(t, from, to, LABEL_WIDTH, width) : null };
}

/** Shorten a label to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

const f1 = (v: number): string => (Math.round(v * 10) / 10).toString();

/** The chart as SVG; `colour` fills the bars (the owner's colour). */
export function timelineSvg(layout: TimelineLayout, colour: string, label: string): string {
  const { width, height, left } = layout;
  const grid = layout.ticks.map((t) => `<line x1="${f1(t.x)}" y1="14" x2="${f1(t.x)}" y2="${height}" stroke="#ccc" stroke-width="0.6"/>`
    + `<text x="${f1(t.x + 3)}" y="11" font-size="9" fill="#555">${t.label}</text>`).join('');
  const bands = layout.rows.map((r, i) => (i % 2 === 0 ? `<rect x="0" y="${r.y}" width="${width}" height="${ROW}" fill="#f4f6f8"/>` : '')).join('');
  const rows = layout.rows.map((r) => {
    const mid = r.y + ROW / 2;
    const title = `${r.work.tag ? `[${r.work.tag}] ` : ''}${r.work.title}`;
    const text = `<text x="4" y="${f1(mid + 3.5)}" font-size="9"><title>${escapeHtml(`${title} (${r.work.status})`)}</title>${escapeHtml(clip(title, 56))}</text>`;
    const flex = r.flex ? `<line x1="${f1(r.flex.x0)}" y1="${f1(mid)}" x2="${f1(r.flex.x1)}" y2="${f1(mid)}" stroke="#333" stroke-width="1"/>` : '';
    const bar = r.bar ? `<rect x="${f1(r.bar.x0)}" y="${f1(mid - 4.5)}" width="${f1(r.bar.x1 - r.bar.x0)}" height="9" rx="1.5" fill="${colour}"${r.work.status === 'idee' ? ' fill-opacity="0.45"' : ''} stroke="#222" stroke-width="0.5"/>` : '';
    const before = r.before ? `<path d="M${left + 1} ${f1(mid)} l5 -3.5 v7 z" fill="#333"/>` : '';
    const after = r.after ? `<path d="M${width - 7} ${f1(mid)} l-5 -3.5 v7 z" fill="#333"/>` : '';
    return text + flex + bar + before + after;
  }).join('');
  const today = layout.today === null ? '' : `<line x1="${f1(layout.today)}" y1="14" x2="${f1(layout.today)}" y2="${height}" stroke="#c00" stroke-width="1.2" stroke-dasharray="3 2"/>`
    + `<text x="${f1(layout.today + 2)}" y="${height - 2}" font-size="8" fill="#c00">vandaag</text>`;
  return `<svg class="timeline" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg" font-family="Helvetica, Arial, sans-serif">`
    + `<line x1="${left}" y1="0" x2="${left}" y2="${height}" stroke="#999" stroke-width="0.6"/>${bands}${grid}${rows}${today}</svg>`;
}
