/** A small, non-blocking message at the bottom of the map; goes away by itself. */
import { useEffect, type Dispatch } from 'react';
import { useI18n } from '../i18n/context.ts';
import type { AppAction } from '../state/app-state.ts';
import type { Notice } from '../state/notice.ts';

export const NOTICE_TIMEOUT_MS = 8000;

export function NoticeBar({ notice, dispatch }: { notice: Notice; dispatch: Dispatch<AppAction> }) {
  const { t } = useI18n();
  useEffect(() => {
    if (!notice) return;
    const timer = window.setTimeout(() => dispatch({ type: 'notice/dismiss', seq: notice.seq }), NOTICE_TIMEOUT_MS);
    return () => window.clearTimeout(timer);
  }, [notice, dispatch]);

  return (
    <div className="notice-region" role="status" aria-live="polite">
      {notice && (
        <div className="notice" data-testid="notice">
          <span>{t(notice.key, { message: notice.detail })}</span>
          <button type="button" className="icon-button" aria-label={t('noticeDismiss')} onClick={() => dispatch({ type: 'notice/dismiss', seq: notice.seq })}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      )}
    </div>
  );
}
