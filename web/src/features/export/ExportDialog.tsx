/**
 * "Exporteren" (issue 8): a header button for partners (signed in, not a participant; the API
 * decides, this only hides it) that opens a modal dialog to choose the area (the current map view
 * or a municipality), the layers (the systems of the layer panel, works and moratoria; at first
 * what is visible), an optional time window, the format and the CRS. The download is a plain link
 * to GET /api/export, so the browser saves the file itself. Keyboard: focus goes to the first
 * choice when it opens, Tab stays inside, Escape closes, and focus returns to the button.
 */
import type { SystemCode } from '@model/systems.ts';
import { getSystem } from '@model/systems.ts';
import type * as maplibregl from 'maplibre-gl';
import { useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { ApiClient } from '../../api/client.ts';
import type { CurrentUser, LayerInfo } from '../../api/types.ts';
import { useI18n } from '../../i18n/context.ts';
import { systemLabel } from '../../i18n/index.ts';
import type { VisibilityState } from '../../state/visibility.ts';
import { ModalDialog } from '../auth/ModalDialog.tsx';
import { type ExportAreas, getExportAreas } from './export-api.ts';
import {
  type ExportLayerId, SELECTION_CRS, SELECTION_FORMATS, type ViewBbox,
  exportProblem, exportUrl, initialExportForm, updateExportForm,
} from './export-form.ts';
import './export.css';

export interface ExportButtonProps {
  api: ApiClient;
  map: maplibregl.Map | null;
  /** the layer panel's systems; null while loading */
  layers: readonly LayerInfo[] | null;
  visibility: VisibilityState;
  me: CurrentUser | null;
}

export function ExportButton({ api, map, layers, visibility, me }: ExportButtonProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState<{ view: ViewBbox | null; center: [number, number] | null } | null>(null);
  if (me === null || me.role === 'participant') return null;
  const show = (): void => {
    const b = map?.getBounds();
    const c = map?.getCenter();
    setOpen({ view: b ? [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] : null, center: c ? [c.lng, c.lat] : null });
  };
  return (
    <>
      <button type="button" className="header-button export-open" data-testid="export-open" title={t('exportOpenTitle')} aria-haspopup="dialog" onClick={show}>
        <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
          <path d="M12 3v12M7 10l5 5 5-5M4 17v3h16v-3" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <span className="header-button-text">{t('exportOpen')}</span>
      </button>
      {open && (
        <ExportDialog api={api} systems={(layers ?? []).map((l) => l.id)} visibility={visibility} view={open.view} center={open.center} onClose={() => setOpen(null)} />
      )}
    </>
  );
}

interface ExportDialogProps {
  api: ApiClient;
  systems: readonly SystemCode[];
  visibility: VisibilityState;
  view: ViewBbox | null;
  center: [number, number] | null;
  onClose: () => void;
}

const FORMAT_KEYS = { gpkg: 'exportFormatGpkg', geojson: 'exportFormatGeojson', csv: 'exportFormatCsv' } as const;
const CRS_KEYS = { 'EPSG:28992': 'exportCrsRd', 'EPSG:4326': 'exportCrsWgs' } as const;

function ExportDialog({ api, systems, visibility, view, center, onClose }: ExportDialogProps) {
  const { t, language } = useI18n();
  const [form, change] = useReducer(updateExportForm, undefined, () => initialExportForm(systems, visibility));
  const [areas, setAreas] = useState<ExportAreas | null>(null);
  const [areasError, setAreasError] = useState(false);
  const first = useRef<HTMLInputElement>(null);

  // Into the first choice when it opens; back to where the user was (the button) when it closes.
  useLayoutEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    first.current?.focus();
    return () => {
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    getExportAreas(api, center, abort.signal).then(
      (a) => {
        setAreas(a);
        if (a.suggested) change({ type: 'municipality', code: a.suggested });
      },
      () => {
        if (!abort.signal.aborted) setAreasError(true);
      },
    );
    return () => abort.abort();
  }, [api, center]);

  const order: readonly ExportLayerId[] = useMemo(() => [...systems, 'works', 'moratoria'], [systems]);
  const problem = exportProblem(form, view);
  const url = exportUrl(form, view, order);
  const layerName = (id: ExportLayerId): string =>
    id === 'works' ? t('exportWorks') : id === 'moratoria' ? t('exportMoratoria') : systemLabel(language, getSystem(id));

  return (
    <ModalDialog name="export" title={t('exportTitle')} intro={t('exportIntro')} closeLabel={t('exportClose')} testId="export-dialog" closeTestId="export-close" variant="export" onClose={onClose}>
      <div className="export-form">
        <fieldset>
          <legend>{t('exportArea')}</legend>
          <label className="export-choice">
            <input ref={first} type="radio" name="export-area" data-testid="export-area-view" checked={form.area === 'view'} onChange={() => change({ type: 'area', area: 'view' })} />
            {t('exportAreaView')}
          </label>
          <label className="export-choice">
            <input type="radio" name="export-area" data-testid="export-area-municipality" checked={form.area === 'municipality'} onChange={() => change({ type: 'area', area: 'municipality' })} />
            {t('exportAreaMunicipality')}
          </label>
          {form.area === 'municipality' && (
            <label className="export-field export-municipality">
              <span className="visually-hidden">{t('exportMunicipality')}</span>
              <select data-testid="export-municipality" value={form.municipality} disabled={areas === null} onChange={(e) => change({ type: 'municipality', code: e.target.value })}>
                <option value="">{areas === null ? t('exportMunicipalityLoading') : t('exportMunicipalityChoose')}</option>
                {areas?.areas.map((a) => (
                  <option key={a.code} value={a.code}>{`${a.name} (${a.code})`}</option>
                ))}
              </select>
              {areasError && <span className="export-problem" role="status">{t('exportMunicipalityError')}</span>}
            </label>
          )}
        </fieldset>

        <fieldset>
          <legend>{t('exportLayers')}</legend>
          <p className="muted export-hint">{t('exportLayersHint')}</p>
          <ul className="export-layers">
            {order.map((id) => (
              <li key={id}>
                <label className="export-choice">
                  <input type="checkbox" data-testid={`export-layer-${id}`} checked={form.layers.includes(id)} onChange={(e) => change({ type: 'layer', layer: id, on: e.target.checked })} />
                  {id !== 'works' && id !== 'moratoria' && <span className="swatch swatch-line" style={{ backgroundColor: getSystem(id).color }} aria-hidden="true" />}
                  {layerName(id)}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>

        <fieldset>
          <legend>{t('exportWindow')}</legend>
          <p className="muted export-hint">{t('exportWindowHint')}</p>
          <div className="export-row">
            <label className="export-field">
              <span>{t('exportFrom')}</span>
              <input type="date" data-testid="export-from" value={form.from} onChange={(e) => change({ type: 'from', value: e.target.value })} />
            </label>
            <label className="export-field">
              <span>{t('exportTo')}</span>
              <input type="date" data-testid="export-to" value={form.to} onChange={(e) => change({ type: 'to', value: e.target.value })} />
            </label>
          </div>
        </fieldset>

        <div className="export-row">
          <label className="export-field">
            <span>{t('exportFormat')}</span>
            <select data-testid="export-format" value={form.format} onChange={(e) => change({ type: 'format', format: SELECTION_FORMATS.find((f) => f === e.target.value) ?? 'gpkg' })}>
              {SELECTION_FORMATS.map((f) => <option key={f} value={f}>{t(FORMAT_KEYS[f])}</option>)}
            </select>
          </label>
          <label className="export-field">
            <span>{t('exportCrs')}</span>
            <select data-testid="export-crs" value={form.crs} onChange={(e) => change({ type: 'crs', crs: SELECTION_CRS.find((c) => c === e.target.value) ?? 'EPSG:28992' })}>
              {SELECTION_CRS.map((c) => <option key={c} value={c}>{t(CRS_KEYS[c])}</option>)}
            </select>
          </label>
        </div>

        <div className="export-actions">
          {url ? (
            <a className="work-new-button export-download" data-testid="export-download" href={url} download>
              {t('exportDownload')}
            </a>
          ) : (
            <button type="button" className="work-new-button export-download" data-testid="export-download" disabled aria-describedby="export-problem">
              {t('exportDownload')}
            </button>
          )}
          {problem && <p id="export-problem" className="export-problem" role="status">{t(problem)}</p>}
        </div>
      </div>
    </ModalDialog>
  );
}
