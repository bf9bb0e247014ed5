/** What a finished load did: counts, rejected and repaired features with their numbers, CRS, duration. */
import type { ImportJob, ImportReport, IndexedReason } from '../../api/types.ts';
import { useI18n } from '../../i18n/context.ts';
import { formatNumber, type MessageKey } from '../../i18n/index.ts';
import { crsName, durationText, firstOf } from './progress-text.ts';

function ReasonList({ items, total, testId }: { items: readonly IndexedReason[]; total: number; testId: string }) {
  const { language, t } = useI18n();
  const { shown, more } = firstOf(items, total, 20);
  if (shown.length === 0 && more === 0) return null;
  return (
    <ul className="reason-list" data-testid={testId}>
      {shown.map((r) => (
        <li key={`${r.index}-${r.reason}`}>{t('importFeatureReason', { index: r.index, reason: r.reason })}</li>
      ))}
      {more > 0 && <li className="muted">{t('importMore', { count: formatNumber(language, more) })}</li>}
    </ul>
  );
}

const COUNTS: readonly [keyof ImportReport & ('read' | 'loaded' | 'new' | 'updated' | 'unchanged'), MessageKey][] = [
  ['read', 'importReportRead'],
  ['loaded', 'importReportLoaded'],
  ['new', 'importReportNew'],
  ['updated', 'importReportUpdated'],
  ['unchanged', 'importReportUnchanged'],
];

export function ReportView({ job }: { job: ImportJob }) {
  const { language, t } = useI18n();
  const report = job.report;
  if (report === null) return <p data-testid="import-report">{t('importStepReport')}</p>;
  const n = (v: number): string => formatNumber(language, v);
  const crs = `${crsName(report.crs.epsg, t)}${report.crs.guessed ? `, ${t('importCrsGuessed')}` : ''}`;
  return (
    <div className="import-report" data-testid="import-report">
      <dl className="import-summary">
        <div>
          <dt>{t('importReportLayer')}</dt>
          <dd data-testid="report-layer">{report.layer.name}</dd>
        </div>
        {COUNTS.map(([key, label]) => (
          <div key={key}>
            <dt>{t(label)}</dt>
            <dd data-testid={`report-${key}`}>{n(report[key])}</dd>
          </div>
        ))}
        <div>
          <dt>{t('importReportRejected')}</dt>
          <dd data-testid="report-rejected">{n(report.rejectedCount)}</dd>
        </div>
        <div>
          <dt>{t('importReportRepaired')}</dt>
          <dd data-testid="report-repaired">{n(report.repairedCount)}</dd>
        </div>
        <div>
          <dt>{t('importCrs')}</dt>
          <dd data-testid="report-crs" className={report.crs.guessed ? 'guessed' : undefined}>
            {crs}
          </dd>
        </div>
        <div>
          <dt>{t('importReportDuration')}</dt>
          <dd data-testid="report-duration">{durationText(language, report.durationMs)}</dd>
        </div>
      </dl>
      {report.rejectedCount > 0 && <h3>{t('importReportRejected')}</h3>}
      <ReasonList items={report.rejected} total={report.rejectedCount} testId="report-rejected-list" />
      {report.repairedCount > 0 && <h3>{t('importReportRepaired')}</h3>}
      <ReasonList items={report.repaired} total={report.repairedCount} testId="report-repaired-list" />
    </div>
  );
}
