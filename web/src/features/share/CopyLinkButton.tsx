/**
 * "Kopieer link" in the header (issue 8): copies the link to the view as it is now (on narrower
 * screens only its icon shows, the header is full; the name stays for screen readers). A bubble under
 * the button confirms it (a status region, so screen readers hear it too); where the page has no
 * clipboard (plain http) or it refuses, the bubble shows the link in a selected text field to copy
 * by hand. Escape or the close button closes that bubble and gives the focus back to the button.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../../i18n/context.ts';
import { copyText, pageClipboard } from '../admin/clipboard.ts';
import './share.css';

/** How long the "copied" confirmation stays. */
const CONFIRM_MS = 2500;

type Shown = { status: 'idle' } | { status: 'copied' } | { status: 'failed'; url: string };

export function CopyLinkButton({ getUrl }: { getUrl: () => string }) {
  const { t } = useI18n();
  const [shown, setShown] = useState<Shown>({ status: 'idle' });
  const button = useRef<HTMLButtonElement>(null);
  const field = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (shown.status === 'failed') field.current?.select();
    if (shown.status !== 'copied') return;
    const timer = setTimeout(() => setShown({ status: 'idle' }), CONFIRM_MS);
    return () => clearTimeout(timer);
  }, [shown]);

  const copy = async (): Promise<void> => {
    const url = getUrl();
    setShown((await copyText(url, pageClipboard())) ? { status: 'copied' } : { status: 'failed', url });
  };
  const close = (): void => {
    setShown({ status: 'idle' });
    button.current?.focus();
  };
  // Escape closes the bubble only (not also the detail card, which listens on the document)
  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    close();
  };

  return (
    <div className="share-link">
      <button ref={button} type="button" className="header-button" data-testid="share-copy" aria-label={t('shareCopy')} title={t('shareCopyTitle')} onClick={() => void copy()}>
        <svg className="share-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
          <path d="M10 14a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1M14 10a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        <span className="header-button-text">{t('shareCopy')}</span>
      </button>
      <span className={shown.status === 'copied' ? 'share-bubble' : 'visually-hidden'} role="status" data-testid="share-status">
        {shown.status === 'copied' ? t('shareCopied') : ''}
      </span>
      {shown.status === 'failed' && (
        <div className="share-bubble share-manual" data-testid="share-manual" onKeyDown={onKey}>
          <label>
            <span>{t('shareCopyFailed')}</span>
            <input ref={field} type="text" readOnly value={shown.url} aria-label={t('shareLinkField')} data-testid="share-url" onFocus={(e) => e.currentTarget.select()} />
          </label>
          <button type="button" className="small-button" onClick={close}>
            {t('shareClose')}
          </button>
        </div>
      )}
    </div>
  );
}
