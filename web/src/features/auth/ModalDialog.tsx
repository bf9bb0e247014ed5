/**
 * A modal dialog over the app: backdrop (click outside closes), role=dialog labelled by its title
 * and described by its intro, a close button, Escape closes, Tab stays inside. Used by the sign-in
 * dialog, the administration panel, the rules, export and report dialogs. Escape also closes it when
 * the focus fell out of it onto the page (a focused button that became disabled, e.g. while saving).
 */
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { trapTab } from '../import/focus-trap.ts';

export interface ModalDialogProps {
  /** prefix of the element ids: `<name>-title`, `<name>-intro` */
  name: string;
  title: string;
  intro: ReactNode;
  closeLabel: string;
  testId: string;
  closeTestId?: string;
  /** extra class on the dialog (and `<extra>-backdrop` on the backdrop) */
  variant?: string;
  /** data-* attributes for the dialog element */
  data?: Record<`data-${string}`, string>;
  onClose: () => void;
  children: ReactNode;
}

export function ModalDialog({ name, title, intro, closeLabel, testId, closeTestId, variant, data, onClose, children }: ModalDialogProps) {
  const root = useRef<HTMLElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const onPageKey = (e: globalThis.KeyboardEvent): void => {
      if (e.key !== 'Escape' || (e.target !== document.body && e.target !== document.documentElement)) return;
      e.stopPropagation(); // the page's own Escape (clear the selection) is not meant
      close.current();
    };
    document.addEventListener('keydown', onPageKey, true);
    return () => document.removeEventListener('keydown', onPageKey, true);
  }, []);
  const onKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
      return;
    }
    if (root.current) trapTab(root.current, e);
  };
  return createPortal(
    <div className={variant ? `signin-backdrop ${variant}-backdrop` : 'signin-backdrop'} onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <section
        ref={root}
        className={variant ? `signin-dialog ${variant}-dialog` : 'signin-dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${name}-title`}
        aria-describedby={`${name}-intro`}
        data-testid={testId}
        {...data}
        onKeyDown={onKeyDown}
      >
        <header className="signin-header">
          <h2 id={`${name}-title`}>{title}</h2>
          <button type="button" className="icon-button" data-testid={closeTestId} onClick={onClose} aria-label={closeLabel} title={closeLabel} aria-keyshortcuts="Escape">
            <span aria-hidden="true">×</span>
          </button>
        </header>
        <p id={`${name}-intro`} className="muted">
          {intro}
        </p>
        {children}
      </section>
    </div>,
    document.body,
  );
}
