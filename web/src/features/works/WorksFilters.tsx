/**
 * Filters of the works view (owner, system, status, kind: checkbox lists that fold open), how the
 * works are coloured and grouped, how many are shown, and the legend of the colours. The same
 * filter drives the map and the timeline.
 */
import { useMemo, type Dispatch } from 'react';
import { useI18n } from '../../i18n/context.ts';
import { formatNumber, type MessageKey } from '../../i18n/index.ts';
import type { WorksView } from './use-works-view.ts';
import {
  FACETS,
  facetOptions,
  isFacetChecked,
  isFiltering,
  legendModel,
  type ColourBy,
  type Facet,
  type FacetOption,
  type FacetSelection,
  type WorksFilterAction,
} from './works-filter.ts';
import { facetLabel, testIdPart } from './works-labels.ts';
import './works.css';

/** Test id and label per facet. */
const FACET_UI: Readonly<Record<Facet, { name: string; label: MessageKey }>> = {
  owners: { name: 'owner', label: 'worksFilterOwner' },
  systems: { name: 'system', label: 'worksFilterSystem' },
  statuses: { name: 'status', label: 'worksFilterStatus' },
  kinds: { name: 'kind', label: 'worksFilterKind' },
};

interface FacetFilterProps {
  facet: Facet;
  options: FacetOption[];
  selection: FacetSelection;
  dispatch: Dispatch<WorksFilterAction>;
}

function FacetFilter({ facet, options, selection, dispatch }: FacetFilterProps) {
  const { language, t } = useI18n();
  const { name, label } = FACET_UI[facet];
  const title = t(label);
  const allKeys = options.map((o) => o.key);
  const chosen = options.filter((o) => isFacetChecked(selection, o.key)).length;
  return (
    <details className="facet" data-testid={`filter-${name}`}>
      <summary>
        <span className="facet-title">{title}</span>
        <span className="facet-chosen" data-testid={`filter-${name}-chosen`}>
          {selection === 'all' ? t('worksFilterChosenAll') : t('worksFilterChosen', { chosen, total: options.length })}
        </span>
      </summary>
      {options.length === 0 ? (
        <p className="muted facet-empty">{t('worksFilterEmpty')}</p>
      ) : (
        <>
          <div className="facet-actions">
            <button type="button" className="small-button" data-testid={`filter-${name}-all`} aria-label={t('worksFilterAllLabel', { facet: title })} onClick={() => dispatch({ type: 'works/setFacet', facet, keys: 'all' })}>
              {t('worksFilterAll')}
            </button>
            <button type="button" className="small-button" data-testid={`filter-${name}-none`} aria-label={t('worksFilterNoneLabel', { facet: title })} onClick={() => dispatch({ type: 'works/setFacet', facet, keys: [] })}>
              {t('worksFilterNone')}
            </button>
          </div>
          <ul className="facet-options" aria-label={title}>
            {options.map((o) => {
              const id = `filter-${name}-${testIdPart(o.key)}`;
              return (
                <li key={o.key} className="layer-row">
                  <input id={id} type="checkbox" data-testid={id} checked={isFacetChecked(selection, o.key)} onChange={() => dispatch({ type: 'works/toggle', facet, key: o.key, allKeys })} />
                  <label htmlFor={id}>
                    <span className="layer-name">{facetLabel(t, language, facet, o)}</span>
                    <span className="layer-count">{formatNumber(language, o.count)}</span>
                  </label>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </details>
  );
}

function ModeSwitch({ name, legend, value, onChange }: { name: 'colour-by' | 'group-by'; legend: MessageKey; value: ColourBy; onChange: (v: ColourBy) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className="works-switch" data-testid={name}>
      <legend>{t(legend)}</legend>
      {(['owner', 'system'] as const).map((v) => (
        <label key={v}>
          <input type="radio" name={name} value={v} data-testid={`${name}-${v}`} checked={value === v} onChange={() => onChange(v)} />
          {t(v === 'owner' ? 'worksByOwner' : 'worksBySystem')}
        </label>
      ))}
    </fieldset>
  );
}

export function WorksFilters({ view }: { view: WorksView }) {
  const { language, t } = useI18n();
  const { all, shown, filter, dispatch, palette } = view;
  const options = useMemo(() => new Map(FACETS.map((f) => [f, facetOptions(all, f)])), [all]);
  const legend = useMemo(
    () => legendModel(all, filter.colourBy, palette, (facet, o) => facetLabel(t, language, facet, o)),
    [all, filter.colourBy, palette, t, language],
  );
  return (
    <section className="works-filters" data-testid="works-filters" aria-labelledby="works-filters-title">
      <h2 id="works-filters-title">{t('worksFiltersTitle')}</h2>
      <p className="works-count" data-testid="works-count" aria-live="polite">
        {t('worksShownCount', { shown: formatNumber(language, shown.length), total: formatNumber(language, all.length) })}
      </p>
      {FACETS.map((facet) => (
        <FacetFilter key={facet} facet={facet} options={options.get(facet) ?? []} selection={filter[facet]} dispatch={dispatch} />
      ))}
      <ModeSwitch name="colour-by" legend="worksColourBy" value={filter.colourBy} onChange={(by) => dispatch({ type: 'works/colourBy', by })} />
      <ModeSwitch name="group-by" legend="worksGroupBy" value={filter.groupBy} onChange={(by) => dispatch({ type: 'works/groupBy', by })} />
      <div className="works-legend" data-testid="works-legend" role="group" aria-labelledby="works-legend-title">
        <h3 id="works-legend-title">{t('worksLegend')}</h3>
        <ul>
          {legend.map((e) => (
            <li key={e.key} data-testid={`legend-${testIdPart(e.key)}`}>
              <span className="swatch swatch-line" style={{ backgroundColor: e.colour }} aria-hidden="true" />
              {e.label}
            </li>
          ))}
        </ul>
      </div>
      <button type="button" className="small-button" data-testid="works-reset" disabled={!isFiltering(filter)} onClick={() => dispatch({ type: 'works/reset' })}>
        {t('worksResetFilters')}
      </button>
    </section>
  );
}
