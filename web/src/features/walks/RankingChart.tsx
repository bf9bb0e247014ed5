/**
 * The ranking of a pairwise session as a horizontal bar chart in SVG (issue 7): one row per item
 * with its rank, label, score and number of comparisons; the bar runs from 1 (a typical item) to
 * the score on a log scale, the whisker is the 95 % interval. A list for assistive technology:
 * every row carries its whole reading.
 */
import type { PairItem, PairwiseView } from '../../api/walk-endpoints.ts';
import { useI18n } from '../../i18n/context.ts';
import { formatNumber } from '../../i18n/index.ts';
import { rankingScale } from './ranking-scale.ts';
import { formatDecimal } from './walk-format.ts';
import { truncate } from './walk-logic.ts';

const WIDTH = 280;
const PAD = 6;
const ROW = 50;
const TOP = 4;
const AXIS = 22;

export function RankingChart({ view }: { view: PairwiseView }) {
  const { t, language } = useI18n();
  const labels = new Map<string, PairItem>(view.session.items.map((i) => [i.id, i]));
  const items = view.ranking.items;
  const scale = rankingScale(items, WIDTH - 2 * PAD, PAD);
  const height = TOP + items.length * ROW + AXIS;
  const dec = (v: number): string => formatDecimal(language, v, 2);
  const titleId = `ranking-title-${view.session.id}`;
  return (
    <figure className="ranking-figure">
      <figcaption id={titleId} className="walks-heading">{t('pairwiseRanking')}</figcaption>
      <svg
        className="ranking-chart" data-testid="pairwise-ranking" role="list" aria-labelledby={titleId}
        viewBox={`0 0 ${WIDTH} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet"
      >
        <line x1={scale.origin} x2={scale.origin} y1={TOP - 2} y2={TOP + items.length * ROW} className="ranking-origin" />
        {items.map((item, i) => {
          const y = TOP + i * ROW;
          const label = labels.get(item.id)?.label ?? item.id;
          const x = scale.x(item.score);
          const reading = t('pairwiseRow', {
            rank: item.rank, label, score: dec(item.score), low: dec(item.low), high: dec(item.high), n: item.comparisons,
          });
          return (
            <g key={item.id} role="listitem" aria-label={reading} data-testid={`ranking-row-${item.rank}`}>
              <title>{reading}</title>
              <text x={PAD} y={y + 11} className="ranking-label" aria-hidden="true">
                {`${item.rank}. ${truncate(label, 44)}`}
              </text>
              <text x={PAD} y={y + 24} className="ranking-score" aria-hidden="true">
                {t('pairwiseRowShort', { score: dec(item.score), low: dec(item.low), high: dec(item.high), n: item.comparisons })}
              </text>
              <rect
                x={Math.min(x, scale.origin)} y={y + 30} width={Math.max(1, Math.abs(x - scale.origin))} height={12}
                className={item.score >= 1 ? 'ranking-bar above' : 'ranking-bar below'}
              />
              <line x1={scale.x(item.low)} x2={scale.x(item.high)} y1={y + 36} y2={y + 36} className="ranking-whisker" />
              <line x1={scale.x(item.low)} x2={scale.x(item.low)} y1={y + 32} y2={y + 40} className="ranking-whisker" />
              <line x1={scale.x(item.high)} x2={scale.x(item.high)} y1={y + 32} y2={y + 40} className="ranking-whisker" />
            </g>
          );
        })}
        <g aria-hidden="true" className="ranking-axis">
          {scale.ticks.map((tick) => (
            <g key={tick}>
              <line x1={scale.x(tick)} x2={scale.x(tick)} y1={TOP + items.length * ROW} y2={TOP + items.length * ROW + 4} />
              <text x={scale.x(tick)} y={TOP + items.length * ROW + 15} textAnchor="middle">{formatNumber(language, tick)}</text>
            </g>
          ))}
        </g>
      </svg>
      <p className="muted ranking-note">{t('pairwiseMethod')}</p>
    </figure>
  );
}
