/**
 * The notice after an edit: "Werk verwijderd: Riool Dorpsstraat — Ongedaan maken". It goes away
 * by itself, but not while the pointer or the focus is on it; Ctrl+Z undoes too (use-undo.ts).
 */
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/context.ts';
import { errorText } from './form-common.ts';
import type { UseUndo } from './use-undo.ts';
import './work-edit.css';

export const UNDO_TOAST_MS = 10_000;

export function UndoToast({ undo }: { undo: UseUndo }) {
  const { t } = useI18n();
  const { toast, dismiss } = undo;
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (!toast || held) return;
    const timer = window.setTimeout(dismiss, UNDO_TOAST_MS);
    return () => window.clearTimeout(timer);
  }, [toast, held, dismiss]);

  return (
    <div className="undo-region" role="status" aria-live="polite">
      {toast && (
        <div
          key={toast.seq}
          className={toast.error ? 'undo-toast undo-toast-error' : 'undo-toast'}
          data-testid="undo-toast"
          onMouseEnter={() => setHeld(true)}
          onMouseLeave={() => setHeld(false)}
          onFocus={() => setHeld(true)}
          onBlur={() => setHeld(false)}
        >
          <span>
            {errorText(t, toast.message)}
            {toast.extra && <span className="undo-extra">{t(toast.extra)}</span>}
          </span>
          {toast.undoable && undo.canUndo && (
            <button type="button" className="undo-button" data-testid="undo-button" title={t('undoButtonTitle')} aria-keyshortcuts="Control+Z" disabled={undo.busy} onClick={() => void undo.undo()}>
              {t('undoButton')}
            </button>
          )}
          <button type="button" className="icon-button" aria-label={t('undoDismiss')} onClick={dismiss}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      )}
    </div>
  );
}
