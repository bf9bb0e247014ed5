import { useI18n } from '../../i18n/context.ts';

/** What a section shows while its list loads, or when loading failed (with a retry). */
export function LoadStatus({ status, reload }: { status: string; reload: () => void }) {
  const { t } = useI18n();
  if (status === 'loading') return <p className="muted">{t('adminLoading')}</p>;
  if (status !== 'failed') return null;
  return (
    <button type="button" className="button" onClick={reload}>
      {t('adminRetry')}
    </button>
  );
}
