/**
 * The works on a timeline, docked under the map: one row per work, grouped by owner or system,
 * a light bar for the flex window and a solid one for the preferred window, the time slider's
 * window shaded. Bars are buttons: Enter/Space (or a click) selects the work, which the map then
 * highlights and flies to; the arrow keys move between bars (one Tab stop for all bars). The
 * selected work's bar is highlighted and scrolled into view. Collapsible; collapsed at first on
 * narrow screens. Long timelines draw only the rows in and near the scrolled view (timeline-rows.ts).
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { useI18n } from '../../i18n/context.ts';
import { formatNumber } from '../../i18n/index.ts';
import { formatMonth } from './dates.ts';
import { isMoveKey, layoutTimeline, moveFocus, tabStop, type TimelineBar } from './timeline-layout.ts';
import { groupRuns, rowsToDraw, timelineRows } from './timeline-rows.ts';
import { TimeSlider } from './TimeSlider.tsx';
import type { WorksView } from './use-works-view.ts';
import { barLabel, facetLabel, testIdPart, workTitle } from './works-labels.ts';
import './works.css';

export interface WorksTimelineProps {
  view: WorksView;
  /** The selected work, or null. */
  selectedId: number | null;
  onSelect: (id: number) => void;
}

/** Right margin of the tracks (works.css), so the last tick label fits. */
const TRACK_MARGIN = 24;
const NARROW = '(max-width: 760px)';

const startsCollapsed = (): boolean => typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(NARROW).matches;

/** Keep the element visible inside the scrolling body (below the sticky axis), scrolling only the body. */
function scrollIntoBody(body: HTMLElement, el: HTMLElement, topInset: number): void {
  const b = body.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  if (r.top < b.top + topInset) body.scrollTop -= b.top + topInset - r.top + 8;
  else if (r.bottom > b.bottom) body.scrollTop += r.bottom - b.bottom + 8;
}

/** Height of the sticky axis above the rows (works.css). */
const AXIS_PX = 24;
/** The scroll position is followed in steps of this many pixels (fewer renders while scrolling; the overscan covers a step). */
const SCROLL_STEP_PX = 110;

/** Width of the tracks and height of the scrolled view. */
function useBodySize(body: HTMLElement | null): { width: number; height: number } {
  const [width, setWidth] = useState(600);
  const [height, setHeight] = useState(280);
  useLayoutEffect(() => {
    if (!body) return;
    const measure = (): void => {
      const label = parseFloat(getComputedStyle(body).getPropertyValue('--timeline-label-w')) || 200;
      setWidth(Math.max(120, body.clientWidth - label - TRACK_MARGIN));
      setHeight(body.clientHeight);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(body);
    return () => observer.disconnect();
  }, [body]);
  return { width, height };
}

interface BarProps {
  bar: TimelineBar;
  groupKey: string;
  selected: boolean;
  tabbable: boolean;
  onSelect: (id: number) => void;
  onFocus: (key: string) => void;
}

function Bar({ bar, groupKey, selected, tabbable, onSelect, onFocus }: BarProps) {
  const { language, t } = useI18n();
  const style: CSSProperties & Record<'--bar-colour', string> = bar.flex ? { left: bar.flex.x, width: bar.flex.width, '--bar-colour': bar.colour } : { left: 0, '--bar-colour': bar.colour };
  return (
    <button
      type="button"
      className={`timeline-bar${selected ? ' selected' : ''}${bar.flex ? '' : ' undated'}`}
      style={style}
      data-testid={bar.first ? `timeline-bar-${bar.id}` : `timeline-bar-${bar.id}-${testIdPart(groupKey)}`}
      data-bar-key={bar.key}
      data-work-id={bar.id}
      tabIndex={tabbable ? 0 : -1}
      aria-pressed={selected}
      aria-label={barLabel(t, language, bar)}
      title={barLabel(t, language, bar)}
      onClick={() => onSelect(bar.id)}
      onFocus={() => onFocus(bar.key)}
    >
      {bar.inner && <span className="timeline-bar-preferred" style={{ left: bar.inner.x, width: bar.inner.width }} />}
      {!bar.flex && <span className="timeline-bar-text">{t('worksNoDate')}</span>}
    </button>
  );
}

export function WorksTimeline({ view, selectedId, onSelect }: WorksTimelineProps) {
  const { language, t } = useI18n();
  const [collapsed, setCollapsed] = useState(startsCollapsed);
  const [body, setBody] = useState<HTMLDivElement | null>(null);
  // the bar last focused, remembered for the selection it was focused under
  const [focused, setFocused] = useState<{ key: string; selectedId: number | null } | null>(null);
  const { width: trackWidth, height: viewHeight } = useBodySize(body);
  const [scrollStep, setScrollStep] = useState(0);
  // a bar an arrow key moved to that was not drawn yet: focused once it is
  const [pendingFocus, setPendingFocus] = useState<string | null>(null);
  const { shown, all, filter, range, colouring } = view;

  const layout = useMemo(
    () =>
      layoutTimeline({
        works: shown,
        groupBy: filter.groupBy,
        range,
        window: filter.window,
        width: trackWidth,
        colourOf: colouring.colourOf,
        titleOf: (p) => workTitle(t, p),
        groupLabel: (facet, o) => facetLabel(t, language, facet, o),
        tickLabels: { quarter: (n) => t('worksTimelineQuarter', { n }), month: (day) => formatMonth(language, day) },
      }),
    [shown, filter.groupBy, filter.window, range, trackWidth, colouring, t, language],
  );
  const remembered = focused && focused.selectedId === selectedId && layout.order.includes(focused.key) ? focused.key : null;
  const stop = remembered ?? tabStop(layout, selectedId);
  const rows = useMemo(() => timelineRows(layout), [layout]);
  const drawn = rowsToDraw(rows, scrollStep * SCROLL_STEP_PX - AXIS_PX, viewHeight + SCROLL_STEP_PX, [stop, focused?.key ?? null, pendingFocus], selectedId);

  const scrolledFor = useRef<number | null>(null);
  useEffect(() => {
    if (selectedId === null) scrolledFor.current = null;
    if (!body || selectedId === null || collapsed) return;
    if (scrolledFor.current === selectedId) return;
    const el = body.querySelector<HTMLElement>(`[data-work-id="${selectedId}"]`);
    if (!el) return;
    scrolledFor.current = selectedId;
    scrollIntoBody(body, el, 30);
  }, [body, selectedId, layout, collapsed]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const target = e.target instanceof HTMLElement ? e.target.dataset['barKey'] : undefined;
    if (target === undefined || !isMoveKey(e.key)) return;
    const next = moveFocus(layout.order, target, e.key);
    if (next === null) return;
    e.preventDefault();
    const el = body?.querySelector<HTMLElement>(`[data-bar-key="${CSS.escape(next)}"]`);
    if (el && body) {
      el.focus({ preventScroll: true });
      scrollIntoBody(body, el, 30);
    } else setPendingFocus(next);
  };

  useLayoutEffect(() => {
    if (pendingFocus === null || !body) return;
    const el = body.querySelector<HTMLElement>(`[data-bar-key="${CSS.escape(pendingFocus)}"]`);
    setPendingFocus(null);
    if (!el) return;
    el.focus({ preventScroll: true });
    scrollIntoBody(body, el, 30);
  }, [pendingFocus, body]);

  const hasBars = layout.order.length > 0;
  return (
    <section className={`works-timeline${collapsed ? ' collapsed' : ''}`} data-testid="works-timeline" aria-labelledby="works-timeline-title">
      <div className="timeline-toolbar">
        <h2 id="works-timeline-title" className="timeline-title">
          <button
            type="button"
            className="timeline-toggle"
            data-testid="timeline-toggle"
            aria-expanded={!collapsed}
            aria-controls="works-timeline-body"
            title={t(collapsed ? 'worksTimelineExpand' : 'worksTimelineCollapse')}
            onClick={() => setCollapsed((c) => !c)}
          >
            <span className="timeline-chevron" aria-hidden="true">
              {collapsed ? '▸' : '▾'}
            </span>
            {t('worksTimelineTitle')}
            <span className="timeline-count" data-testid="timeline-count">
              {t('worksTimelineCount', { shown: formatNumber(language, shown.length), total: formatNumber(language, all.length) })}
            </span>
          </button>
        </h2>
        <TimeSlider range={range} window={filter.window} onChange={(w) => view.dispatch({ type: 'works/window', window: w })} />
      </div>
      <div
        id="works-timeline-body"
        className="timeline-body"
        ref={setBody}
        hidden={collapsed}
        onScroll={(e) => setScrollStep(Math.floor(e.currentTarget.scrollTop / SCROLL_STEP_PX))}
      >
        {!hasBars && <p className="muted timeline-empty">{t('worksTimelineEmpty')}</p>}
        {hasBars && (
          <div className="timeline-grid" role="group" aria-label={t('worksTimelineBars')} onKeyDown={onKeyDown}>
            <div className="timeline-axis" aria-hidden="true">
              <span className="timeline-key">
                <span className="timeline-key-flex" /> {t('worksTimelineLegendFlex')}
                <span className="timeline-key-preferred" /> {t('worksTimelineLegendPreferred')}
              </span>
              <div className="timeline-track">
                {layout.ticks.map((tick) => (
                  <span key={tick.day} className={`timeline-tick tick-${tick.level}`} style={{ left: tick.x }}>
                    {tick.label}
                  </span>
                ))}
              </div>
            </div>
            {range === null && <p className="muted timeline-empty">{t('worksTimelineNoDates')}</p>}
            <div className="timeline-overlay" aria-hidden="true">
              {layout.ticks.map((tick) => (
                <div key={tick.day} className={`timeline-gridline tick-${tick.level}`} style={{ left: tick.x }} />
              ))}
              {layout.window && <div className="timeline-window" data-testid="timeline-window" style={{ left: layout.window.x, width: layout.window.width }} />}
            </div>
            <div className="timeline-rows" style={{ height: rows.height }} data-testid="timeline-rows" data-rows={rows.rows.length}>
              {groupRuns(rows, drawn).map((run) => (
                // a group of the drawn rows, named for assistive technology even when its title is not drawn
                <div key={run.group.key} className="timeline-group" role="group" aria-label={run.group.label}>
                  {run.rows.map((i) => {
                    const row = rows.rows[i];
                    if (!row) return null;
                    const g = row.group;
                    if (row.kind === 'group') {
                      return (
                        <h3 key={row.key} className="timeline-group-title" style={{ top: row.top }}>
                          {g.label} <span className="timeline-group-count">{formatNumber(language, g.bars.length)}</span>
                        </h3>
                      );
                    }
                    const { bar } = row;
                    return (
                      <div key={row.key} className={`timeline-row${bar.id === selectedId ? ' selected' : ''}`} style={{ top: row.top }}>
                        <span className="timeline-row-label" aria-hidden="true" title={bar.title}>
                          {bar.title}
                        </span>
                        <div className="timeline-track">
                          <Bar
                            bar={bar}
                            groupKey={g.key}
                            selected={bar.id === selectedId}
                            tabbable={bar.key === stop}
                            onSelect={onSelect}
                            onFocus={(key) => setFocused({ key, selectedId })}
                          />
                        </div>
                      </div>
                    );
                  })}
                </div>
              ))}
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
