/**
 * "Gebiedsrapport" (issue 8): a header button for partners that opens a dialog — the area (a
 * municipality with works, or the map view as it is now), the horizon (default today .. five
 * years on), "Maak rapport", a progress bar with the server's step, and then the links to the
 * printable HTML and the PDF. Keyboard: the dialog traps Tab, Escape closes it, focus returns to
 * the button.
 */
import type * as maplibregl from 'maplibre-gl';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ApiClient } from '../../api/client.ts';
import { useI18n } from '../../i18n/context.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { ModalDialog } from '../auth/ModalDialog.tsx';
import { reportUrl } from './report-api.ts';
import { type Bbox, type FormProblem, VIEW_AREA, checkForm, defaultHorizon, percent, requestBody } from './report-form.ts';
import { useReport } from './use-report.ts';
import './report.css';

const PROBLEM_KEYS: Readonly<Record<Exclude<FormProblem, null>, MessageKey>> = {
  area: 'reportProblemArea', from: 'reportProblemFrom', to: 'reportProblemTo', order: 'reportProblemOrder',
};

function viewOf(map: maplibregl.Map | null): Bbox | null {
  const b = map?.getBounds();
  return b ? [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] : null;
}

export function ReportButton({ api, map, role }: { api: ApiClient; map: maplibregl.Map | null; role: string | undefined }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<{ view: Bbox | null } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  if (!role || role === 'participant') return null;
  const close = (): void => {
    setOpen(null);
    button.current?.focus();
  };
  return (
    <>
      <button ref={button} type="button" className="header-button" data-testid="report-open" title={t('reportOpenTitle')} onClick={() => setOpen({ view: viewOf(map) })}>
        <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
          <path d="M6 2h9l5 5v15H6zM14 2v6h6M9 13h8M9 17h8M9 9h3" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
        </svg>
        <span className="header-button-text">{t('reportOpen')}</span>
      </button>
      {open && <ReportDialog api={api} view={open.view} onClose={close} />}
    </>
  );
}

function ReportDialog({ api, view, onClose }: { api: ApiClient; view: Bbox | null; onClose: () => void }) {
  const { t } = useI18n();
  const ids = useId();
  const { areas, state, start, reset } = useReport(api);
  const [form, setForm] = useState(() => ({ area: '', ...defaultHorizon(new Date()) }));
  const [problem, setProblem] = useState<FormProblem>(null);
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []); // into the dialog: Tab stays inside, Escape closes
  const area = form.area !== '' ? form.area : (areas?.[0]?.code ?? (view ? VIEW_AREA : ''));
  const busy = state.status === 'starting' || state.status === 'running';

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const filled = { ...form, area };
    const p = checkForm(filled, view);
    setProblem(p);
    if (p === null) void start(requestBody(filled, view));
  };
  const change = (field: 'area' | 'from' | 'to', value: string): void => {
    setForm((f) => ({ ...f, area, [field]: value }));
    if (state.status === 'done' || state.status === 'failed') reset();
  };
  const job = state.status === 'running' || state.status === 'done' ? state.job : state.status === 'failed' ? state.job : null;
  const pct = state.status === 'done' ? 100 : percent(job?.progress ?? 0);

  return (
    <ModalDialog name="report" title={t('reportTitle')} intro={t('reportIntro')} closeLabel={t('reportClose')} testId="report-dialog" variant="report" onClose={onClose}>
      <form className="report-form" onSubmit={submit} noValidate>
        <label htmlFor={`${ids}-area`}>{t('reportArea')}</label>
        <select ref={first} id={`${ids}-area`} data-testid="report-area" value={area} disabled={busy} aria-invalid={problem === 'area'} onChange={(e) => change('area', e.target.value)}>
          {areas === null && <option value="">{t('reportAreasLoading')}</option>}
          {(areas ?? []).map((a) => (
            <option key={a.code} value={a.code}>{t('reportAreaMunicipality', { name: a.name, count: a.works })}</option>
          ))}
          <option value={VIEW_AREA} disabled={view === null}>{t('reportAreaView')}</option>
        </select>
        <div className="report-dates">
          <label>
            <span>{t('reportFrom')}</span>
            <input type="date" data-testid="report-from" value={form.from} disabled={busy} aria-invalid={problem === 'from' || problem === 'order'} onChange={(e) => change('from', e.target.value)} />
          </label>
          <label>
            <span>{t('reportTo')}</span>
            <input type="date" data-testid="report-to" value={form.to} disabled={busy} aria-invalid={problem === 'to' || problem === 'order'} onChange={(e) => change('to', e.target.value)} />
          </label>
        </div>
        {problem && <p className="report-error" role="alert">{t(PROBLEM_KEYS[problem])}</p>}
        <button type="submit" className="button primary report-submit" data-testid="report-make" disabled={busy}>
          {t('reportMake')}
        </button>
      </form>
      {state.status !== 'idle' && (
        <div className="report-progress" aria-live="polite">
          <p id={`${ids}-step`} className="report-step" data-testid="report-step">
            {state.status === 'starting' ? t('reportStarting') : state.status === 'failed' ? t('reportFailed', { message: state.message }) : job?.step}
          </p>
          <div className="report-bar" role="progressbar" aria-labelledby={`${ids}-step`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-valuetext={`${pct} %`} data-testid="report-progress">
            <div className={state.status === 'failed' ? 'report-bar-fill failed' : 'report-bar-fill'} style={{ width: `${pct}%` }} />
          </div>
          <span className="report-percent">{pct} %</span>
        </div>
      )}
      {state.status === 'done' && (
        <p className="report-links" data-testid="report-links">
          <a className="button primary" href={reportUrl(state.job.id, 'html')} target="_blank" rel="noopener" data-testid="report-html">{t('reportOpenHtml')}</a>
          <a className="button" href={reportUrl(state.job.id, 'pdf')} download data-testid="report-pdf">{t('reportDownloadPdf')}</a>
        </p>
      )}
    </ModalDialog>
  );
}
