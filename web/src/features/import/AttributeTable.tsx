/** The first rows of the file's attributes, as read; scrolls sideways when there are many fields. */
import type { ImportJob, SampleValue } from '../../api/types.ts';
import { useI18n } from '../../i18n/context.ts';

/** Columns: the job's fields in file order; keys seen only in the sample come after them. */
export function tableColumns(job: Pick<ImportJob, 'fields' | 'sample'>): string[] {
  const names = job.fields.map((f) => f.name);
  for (const row of job.sample) for (const key of Object.keys(row)) if (!names.includes(key)) names.push(key);
  return names.filter((n) => n !== '__index');
}

function Cell({ value }: { value: SampleValue | undefined }) {
  const { t } = useI18n();
  if (value === null || value === undefined || value === '') return <td className="cell-empty">—</td>;
  // Values as the file has them (a year stays "1962", not "1.962"): this is a look at the source.
  const text = typeof value === 'boolean' ? (value ? t('yes') : t('no')) : String(value);
  return (
    <td className={typeof value === 'number' ? 'cell-number' : undefined} title={text.length > 40 ? text : undefined}>
      {text}
    </td>
  );
}

export function AttributeTable({ job }: { job: ImportJob }) {
  const { t } = useI18n();
  const columns = tableColumns(job);
  const rows = job.sample.slice(0, 20);
  if (columns.length === 0) return <p className="muted">{t('importTableEmpty')}</p>;
  return (
    <div className="import-table-wrap" tabIndex={0} role="region" aria-label={t('importTableTitle', { count: rows.length })}>
      <table className="import-table" data-testid="import-table">
        <thead>
          <tr>
            <th scope="col">{t('importTableRow')}</th>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              <th scope="row">{typeof row['__index'] === 'number' ? row['__index'] : i + 1}</th>
              {columns.map((c) => (
                <Cell key={c} value={row[c]} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
