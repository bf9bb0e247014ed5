/**
 * Switch vital systems and the planned works on and off. Grouped per system
 * family; each row is a real checkbox with its legend swatch and count.
 */
import { getSystem } from '@model/systems.ts';
import type { Dispatch, ReactNode } from 'react';
import type { LayerInfo } from '../../api/types.ts';
import { useI18n } from '../../i18n/context.ts';
import { formatNumber, systemLabel } from '../../i18n/index.ts';
import { MORATORIUM_LEGEND_COLOR } from '../../layers/moratoria-layer.ts';
import { WORKS_LEGEND_COLOR } from '../../layers/works-layer.ts';
import type { AppAction } from '../../state/app-state.ts';
import { isSystemVisible, type VisibilityState } from '../../state/visibility.ts';
import { groupLayers } from './groups.ts';

export interface LayerPanelProps {
  /** null while loading or when the catalogue could not be loaded. */
  layers: readonly LayerInfo[] | null;
  loading: boolean;
  worksCount: number;
  /** Dig moratoria loaded; absent = no moratoria row. */
  moratoriaCount?: number | undefined;
  visibility: VisibilityState;
  dispatch: Dispatch<AppAction>;
  /** Further sections below the layers (the imported datasets). */
  children?: ReactNode;
}

function Swatch({ layer }: { layer: LayerInfo }) {
  const color = getSystem(layer.id).color;
  const onlyPoints = layer.geometryTypes.length > 0 && layer.geometryTypes.every((g) => g.endsWith('Point'));
  return <span className={onlyPoints ? 'swatch swatch-point' : 'swatch swatch-line'} style={{ backgroundColor: color }} aria-hidden="true" />;
}

function LayerRow({ layer, checked, onToggle }: { layer: LayerInfo; checked: boolean; onToggle: () => void }) {
  const { language, t } = useI18n();
  const inputId = `toggle-${layer.id}`;
  return (
    <li className="layer-row">
      <input id={inputId} type="checkbox" data-testid={inputId} checked={checked} onChange={onToggle} />
      <label htmlFor={inputId}>
        <Swatch layer={layer} />
        <span className="layer-name">{systemLabel(language, getSystem(layer.id))}</span>
        <span className="layer-count" title={t('layerCount', { count: formatNumber(language, layer.count) })}>
          {formatNumber(language, layer.count)}
        </span>
      </label>
    </li>
  );
}

interface WorksGroupProps {
  count: number;
  moratoriaCount: number | undefined;
  visibility: VisibilityState;
  dispatch: Dispatch<AppAction>;
}

function WorksGroup({ count, moratoriaCount, visibility, dispatch }: WorksGroupProps) {
  const { language, t } = useI18n();
  const checked = visibility.works;
  return (
    <fieldset className="layer-group">
      <legend>{t('groupWorks')}</legend>
      <ul>
        <li className="layer-row">
          <input id="toggle-works" type="checkbox" data-testid="toggle-works" checked={checked} onChange={() => dispatch({ type: 'visibility/toggleWorks' })} />
          <label htmlFor="toggle-works">
            <span className="swatch swatch-area" style={{ borderColor: WORKS_LEGEND_COLOR }} aria-hidden="true" />
            <span className="layer-name">{t('worksLabel')}</span>
            <span className="layer-count" title={t('worksCount', { count: formatNumber(language, count) })}>
              {formatNumber(language, count)}
            </span>
          </label>
        </li>
        {moratoriaCount !== undefined && (
          <li className="layer-row">
            <input id="toggle-moratoria" type="checkbox" data-testid="toggle-moratoria" checked={visibility.moratoria} onChange={() => dispatch({ type: 'visibility/toggleMoratoria' })} />
            <label htmlFor="toggle-moratoria">
              <span className="swatch swatch-area swatch-moratorium" style={{ borderColor: MORATORIUM_LEGEND_COLOR }} aria-hidden="true" />
              <span className="layer-name">{t('moratoriaLabel')}</span>
              <span className="layer-count" title={t('moratoriaCount', { count: formatNumber(language, moratoriaCount) })}>
                {formatNumber(language, moratoriaCount)}
              </span>
            </label>
          </li>
        )}
      </ul>
    </fieldset>
  );
}

export function LayerPanel({ layers, loading, worksCount, moratoriaCount, visibility, dispatch, children }: LayerPanelProps) {
  const { t } = useI18n();
  const groups = groupLayers(layers ?? []);
  return (
    <section className="layer-panel" data-testid="layer-panel" aria-labelledby="layer-panel-title">
      <h2 id="layer-panel-title">{t('layersTitle')}</h2>
      {loading && <p className="muted">{t('layersLoading')}</p>}
      {!loading && groups.length === 0 && <p className="muted">{t('layersEmpty')}</p>}
      {groups.map((group) => (
        <fieldset key={group.key} className="layer-group">
          <legend>{t(group.labelKey)}</legend>
          <ul>
            {group.layers.map((layer) => (
              <LayerRow
                key={layer.id}
                layer={layer}
                checked={isSystemVisible(visibility, layer.id)}
                onToggle={() => dispatch({ type: 'visibility/toggleSystem', system: layer.id })}
              />
            ))}
          </ul>
        </fieldset>
      ))}
      {groups.length > 0 && <p className="muted layer-overview-note" data-testid="layer-overview-note">{t('layersOverviewNote')}</p>}
      <WorksGroup count={worksCount} moratoriaCount={moratoriaCount} visibility={visibility} dispatch={dispatch} />
      {children}
    </section>
  );
}
