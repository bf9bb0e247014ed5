/**
 * The import dialog: a card over the right of the map (the preview stays visible beside it).
 * Modal for the keyboard: focus moves in when it opens, Tab stays inside, Escape closes when no
 * work is running, and focus returns to where it was when it closes.
 */
import { useEffect, useLayoutEffect, useRef, type Dispatch, type KeyboardEvent } from 'react';
import { useI18n } from '../../i18n/context.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { trapTab } from './focus-trap.ts';
import './import.css';
import { isRunning, type ImportFlow, type ImportFlowAction } from './import-flow.ts';
import { ProgressBlock } from './ProgressBlock.tsx';
import { progressView } from './progress-text.ts';
import { ReportView } from './ReportView.tsx';
import { ReviewStep, Summary } from './ReviewStep.tsx';
import type { OrganisationsState } from './use-organisations.ts';

type OpenFlow = Exclude<ImportFlow, { step: 'idle' }>;

export interface ImportDialogProps {
  flow: OpenFlow;
  organisations: OrganisationsState;
  dispatch: Dispatch<ImportFlowAction>;
  onSubmit: () => void;
  onCancel: () => void;
  onClose: () => void;
  /** analyse the same file again with this EPSG code */
  onReanalyse: (epsg: number) => void;
}

const TITLE_KEYS: Readonly<Record<OpenFlow['step'], MessageKey>> = {
  uploading: 'importStepUploading',
  analysing: 'importStepAnalysing',
  review: 'importStepReview',
  loading: 'importStepLoading',
  report: 'importStepReport',
  failed: 'importStepFailed',
  cancelled: 'importStepCancelled',
};

function fileNameOf(flow: OpenFlow): string {
  return 'fileName' in flow ? flow.fileName : flow.job.fileName;
}

function Failed({ flow }: { flow: Extract<OpenFlow, { step: 'failed' }> }) {
  const { t } = useI18n();
  return (
    <div className="import-failed" role="alert" data-testid="import-failed">
      <p className="import-error">{flow.message === '' ? t('importFailedGeneric') : flow.message}</p>
      {flow.where && <p className="muted">{t('importFailedWhere', { where: flow.where })}</p>}
    </div>
  );
}

function Body({ flow, organisations, dispatch, onReanalyse }: Pick<ImportDialogProps, 'flow' | 'organisations' | 'dispatch' | 'onReanalyse'>) {
  const { language, t } = useI18n();
  const progress = progressView(flow, t, language);
  switch (flow.step) {
    case 'uploading':
    case 'analysing':
      return progress && <ProgressBlock view={progress} />;
    case 'loading':
      return (
        <>
          {progress && <ProgressBlock view={progress} />}
          <Summary job={flow.job} />
        </>
      );
    case 'review':
      return <ReviewStep flow={flow} organisations={organisations} dispatch={dispatch} onReanalyse={onReanalyse} />;
    case 'report':
      return <ReportView job={flow.job} />;
    case 'failed':
      return <Failed flow={flow} />;
    case 'cancelled':
      return <p data-testid="import-cancelled">{t('importCancelledText')}</p>;
  }
}

function Actions({ flow, onSubmit, onCancel, onClose }: Pick<ImportDialogProps, 'flow' | 'onSubmit' | 'onCancel' | 'onClose'>) {
  const { t } = useI18n();
  if (flow.step === 'report' || flow.step === 'failed' || flow.step === 'cancelled') {
    return (
      <button type="button" className="button primary" data-testid="import-close" onClick={onClose}>
        {t('importClose')}
      </button>
    );
  }
  return (
    <>
      <button type="button" className="button" data-testid="import-cancel" onClick={onCancel}>
        {t('importCancel')}
      </button>
      {flow.step === 'review' && (
        <button type="button" className="button primary" data-testid="import-load" disabled={flow.submitting} onClick={onSubmit}>
          {flow.submitting ? t('importSubmitting') : t('importLoad')}
        </button>
      )}
    </>
  );
}

export function ImportDialog(props: ImportDialogProps) {
  const { flow, onClose } = props;
  const { t } = useI18n();
  const root = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const running = isRunning(flow);

  // Into the dialog when it opens; back to where the user was when it closes.
  useLayoutEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    heading.current?.focus();
    return () => {
      if (previous?.isConnected) previous.focus();
    };
  }, []);
  // A step change may remove the focused button (e.g. "Laden"): then focus the new heading.
  useEffect(() => {
    if (root.current && !root.current.contains(document.activeElement)) heading.current?.focus();
  }, [flow.step]);

  const onKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      if (!running) onClose();
      return;
    }
    if (root.current) trapTab(root.current, e);
  };

  return (
    <section ref={root} className="import-dialog" role="dialog" aria-modal="true" aria-labelledby="import-title" data-testid="import-dialog" data-step={flow.step} onKeyDown={onKeyDown}>
      <header className="import-header">
        <div className="import-heading">
          <p className="detail-kicker">{t('importDialogLabel')}</p>
          <h2 id="import-title" ref={heading} tabIndex={-1}>
            {t(TITLE_KEYS[flow.step])}
          </h2>
          <p className="import-file" title={fileNameOf(flow)}>
            {fileNameOf(flow)}
          </p>
        </div>
        {!running && (
          <button type="button" className="icon-button" onClick={onClose} aria-label={t('importCloseLabel')} title={t('importCloseLabel')} aria-keyshortcuts="Escape">
            <span aria-hidden="true">×</span>
          </button>
        )}
      </header>
      <div className="import-body">
        <Body {...props} />
      </div>
      <footer className="import-actions">
        <Actions {...props} />
      </footer>
    </section>
  );
}
