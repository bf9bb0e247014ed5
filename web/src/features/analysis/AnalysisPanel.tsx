/**
 * "Samenhang in beeld" (issue 6): counts per type of finding (a filter), the bundles and the
 * findings as explainable cards sorted by saving or severity, the decisions on them, the live
 * what-if of the selected work, the map options (arcs between bundled works, how often the ground
 * opens), the exports, and for administrators the rules.
 */
import { FINDING_TYPES, type FindingType } from '@model/analysis-rules.ts';
import { exportUrl } from '../../api/analysis-endpoints.ts';
import { useI18n } from '../../i18n/context.ts';
import { OPENINGS_STEPS } from '../../layers/analysis-layers.ts';
import { BundleCard, FindingCard } from './AnalysisCards.tsx';
import { TYPE_KEYS, sortFindings, type SortKey, type WorkLabels } from './explain.ts';
import type { Analysis, WhatIfState } from './use-analysis.ts';
import { WhatIfControl } from './WhatIfControl.tsx';
import './analysis.css';

export interface AnalysisViewOptions {
  type: FindingType | null;
  sort: SortKey;
  arcs: boolean;
  openings: boolean;
  withAcceptedCombinations: boolean;
  /** The works of the card looked at last (highlighted on the map). */
  highlight: readonly number[];
}

export const INITIAL_ANALYSIS_VIEW: AnalysisViewOptions = { type: null, sort: 'severity', arcs: true, openings: false, withAcceptedCombinations: false, highlight: [] };

export interface AnalysisPanelProps {
  analysis: Analysis;
  labels: WorkLabels;
  view: AnalysisViewOptions;
  onView: (change: Partial<AnalysisViewOptions>) => void;
  /** Show these works on the map and the timeline. */
  onShow: (works: readonly number[]) => void;
  canDecide: boolean;
  isAdmin: boolean;
  onOpenRules: () => void;
  whatIf: WhatIfState;
  /** Title of the selected work (the what-if shifts it); null when none. */
  selectedTitle: string | null;
}

const MAX_CARDS = 150;

export function AnalysisPanel({ analysis, labels, view, onView, onShow, canDecide, isAdmin, onOpenRules, whatIf, selectedTitle }: AnalysisPanelProps) {
  const { t } = useI18n();
  const { data } = analysis;
  const common = { labels, canDecide, busy: analysis.busy, onShow, onDecide: analysis.decide, onUndo: analysis.undo };
  const highlighted = (works: readonly number[]): boolean => works.length > 0 && works.every((w) => view.highlight.includes(w)) && works.length === view.highlight.length;
  return (
    <section className="analysis-panel" data-testid="analysis-panel" aria-labelledby="analysis-title" aria-busy={data.status === 'loading'}>
      <h2 id="analysis-title" className="panel-title">{t('analysisTitle')}</h2>
      {data.status === 'loading' && <p className="muted">{t('analysisLoading')}</p>}
      {data.status === 'error' && <p className="error" role="alert">{t('analysisError')}: {data.message}</p>}
      {data.status === 'ready' && (
        <>
          <div className="analysis-counts" role="group" aria-label={t('analysisCounts')}>
            <button type="button" aria-pressed={view.type === null} data-testid="analysis-filter-all" onClick={() => onView({ type: null })}>
              {t('analysisAll')} <span className="count">{data.findings.length}</span>
            </button>
            {FINDING_TYPES.map((type) => (
              <button key={type} type="button" className={`type-${type}`} aria-pressed={view.type === type} data-testid={`analysis-count-${type}`} onClick={() => onView({ type: view.type === type ? null : type })}>
                {t(TYPE_KEYS[type])} <span className="count">{data.counts[type] ?? 0}</span>
              </button>
            ))}
          </div>
          <div className="analysis-options">
            <label>
              {t('analysisSort')}{' '}
              <select value={view.sort} data-testid="analysis-sort" onChange={(e) => onView({ sort: e.target.value as SortKey })}>
                <option value="severity">{t('analysisSortSeverity')}</option>
                <option value="saving">{t('analysisSortSaving')}</option>
                <option value="type">{t('analysisSortType')}</option>
              </select>
            </label>
            <label className="check">
              <input type="checkbox" checked={view.arcs} data-testid="analysis-arcs" onChange={(e) => onView({ arcs: e.target.checked })} /> {t('analysisArcs')}
            </label>
            <label className="check">
              <input type="checkbox" checked={view.openings} data-testid="analysis-openings" onChange={(e) => onView({ openings: e.target.checked })} /> {t('analysisShowOpenings')}
            </label>
            {view.openings && (
              <>
                <label className="check indent">
                  <input type="checkbox" checked={view.withAcceptedCombinations} data-testid="analysis-openings-combined" onChange={(e) => onView({ withAcceptedCombinations: e.target.checked })} />{' '}
                  {t('analysisOpeningsWithBundles')}
                </label>
                <p className="openings-legend" data-testid="openings-legend">
                  {OPENINGS_STEPS.map(([n, c]) => (
                    <span key={n} className="openings-step" style={{ background: `rgb(${c.join(',')})` }}>{n === 5 ? '5+' : n}</span>
                  ))}
                  <span className="muted"> {t('analysisOpeningsLegend')}</span>
                </p>
              </>
            )}
          </div>
          <WhatIfControl title={selectedTitle} state={whatIf} />
          {(view.type === null || view.type === 'combine') && data.bundles.length > 0 && (
            <>
              <h3 className="analysis-heading">{t('analysisBundles', { count: data.bundles.length })}</h3>
              <div className="analysis-list" data-testid="bundle-list">
                {[...data.bundles].sort((p, q) => q.metrics.saving_eur - p.metrics.saving_eur).map((b) => (
                  <BundleCard key={b.id} bundle={b} selected={highlighted(b.works)} {...common} />
                ))}
              </div>
            </>
          )}
          <FindingList analysis={analysis} view={view} common={common} highlighted={highlighted} />
          <p className="analysis-export">
            <span className="muted">{t('analysisExport')}: </span>
            <a href={exportUrl('findings', 'geojson')} download>{t('analysisExportFindings')}</a> · <a href={exportUrl('findings', 'csv')} download>{t('analysisExportFindingsCsv')}</a> ·{' '}
            <a href={exportUrl('bundles', 'csv')} download>{t('analysisExportBundles')}</a>
          </p>
          {isAdmin && (
            <button type="button" className="small-button" data-testid="rules-open" onClick={onOpenRules}>
              {t('rulesOpen')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function FindingList({ analysis, view, common, highlighted }: {
  analysis: Analysis; view: AnalysisViewOptions; common: Omit<Parameters<typeof FindingCard>[0], 'finding' | 'selected'>; highlighted: (w: readonly number[]) => boolean;
}) {
  const { t } = useI18n();
  if (analysis.data.status !== 'ready') return null;
  const { findings, bundles } = analysis.data;
  const shown = sortFindings(view.type === null ? findings : findings.filter((f) => f.type === view.type), view.sort, bundles);
  return (
    <>
      <h3 className="analysis-heading">{t('analysisFindings', { count: shown.length })}</h3>
      {shown.length === 0 && <p className="muted">{t('analysisEmpty')}</p>}
      <div className="analysis-list" data-testid="finding-list">
        {shown.slice(0, MAX_CARDS).map((f) => (
          <FindingCard key={f.id} finding={f} selected={highlighted(f.works)} {...common} />
        ))}
      </div>
    </>
  );
}
