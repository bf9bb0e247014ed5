/** The organisation's audit log: the latest entries as a table, and the whole log as CSV. */
import { useCallback } from 'react';
import type { AuditEntry } from '../../api/admin-types.ts';
import { useI18n } from '../../i18n/context.ts';
import { AUDIT_RESULT_KEYS, auditDetail, auditObject, formatDateTime } from './admin-format.ts';
import { useLoaded, type SectionProps } from './use-admin.ts';

/** How many entries the table shows (the CSV has them all). */
export const AUDIT_LIMIT = 200;

const COLUMNS = ['auditColTime', 'auditColUser', 'auditColAction', 'auditColObject', 'auditColResult', 'auditColIp'] as const;

function AuditRow({ entry }: { entry: AuditEntry }) {
  const { t, language } = useI18n();
  const detail = auditDetail(entry);
  const none = t('adminNone');
  return (
    <tr data-result={entry.result}>
      <td className="cell-time">{formatDateTime(language, entry.at)}</td>
      <td>{entry.email ?? none}</td>
      <td title={detail ?? undefined}>{entry.action}</td>
      <td>{auditObject(entry) ?? none}</td>
      <td className={`audit-result-${entry.result}`}>{t(AUDIT_RESULT_KEYS[entry.result])}</td>
      <td>{entry.ip ?? none}</td>
    </tr>
  );
}

export function AuditSection({ api, user, notify }: SectionProps) {
  const { t } = useI18n();
  const load = useCallback((signal: AbortSignal) => api.getAuditLog(AUDIT_LIMIT, signal), [api]);
  const { state, reload } = useLoaded(load, notify);
  return (
    <div className="admin-section" data-testid="admin-audit">
      <div className="admin-audit-head">
        <p className="muted">{t('auditIntro', { count: AUDIT_LIMIT, organisation: user.organisation.name })}</p>
        <button type="button" className="button" data-testid="audit-refresh" onClick={reload}>
          {t('auditRefresh')}
        </button>
        <a className="button admin-link-button" href={api.auditCsvUrl()} download="audit.csv" data-testid="audit-csv">
          {t('auditCsv')}
        </a>
      </div>
      {state.status === 'loading' && <p className="muted">{t('adminLoading')}</p>}
      {state.status === 'ready' &&
        (state.data.length === 0 ? (
          <p className="muted">{t('auditEmpty')}</p>
        ) : (
          <div className="admin-table-wrap admin-audit-wrap">
            <table className="admin-table" data-testid="audit-table">
              <thead>
                <tr>
                  {COLUMNS.map((key) => (
                    <th key={key} scope="col">
                      {t(key)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {state.data.map((entry) => (
                  <AuditRow key={entry.id} entry={entry} />
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </div>
  );
}
