/**
 * The review step: what was detected (format, CRS, count), the first rows of attributes, the
 * mapping form, the layer name and owner, and what to do with invalid geometries.
 */
import type { InvalidPolicy } from '@model/asset-mapping.ts';
import { type Dispatch, useState } from 'react';
import type { ImportJob } from '../../api/types.ts';
import { useI18n } from '../../i18n/context.ts';
import { formatNumber } from '../../i18n/index.ts';
import { AttributeTable } from './AttributeTable.tsx';
import type { ImportFlow, ImportFlowAction, ReviewError } from './import-flow.ts';
import { MappingFields } from './MappingFields.tsx';
import { crsText, firstOf } from './progress-text.ts';
import type { OrganisationsState } from './use-organisations.ts';

type Review = Extract<ImportFlow, { step: 'review' }>;

const FORMAT_NAMES: Readonly<Record<NonNullable<ImportJob['format']>, string>> = {
  geojson: 'GeoJSON',
  shapefile: 'Shapefile',
  geopackage: 'GeoPackage',
  flatgeobuf: 'FlatGeobuf',
  csv: 'CSV',
  kml: 'KML',
  klic: 'KLIC',
};

export function Summary({ job }: { job: ImportJob }) {
  const { language, t } = useI18n();
  const format = job.format === null ? t('importCrsUnknown') : job.format === 'klic' ? t('importFormatKlic') : FORMAT_NAMES[job.format];
  const previewCount = job.preview?.features.length ?? 0;
  return (
    <>
      <dl className="import-summary" data-testid="import-summary">
        <div>
          <dt>{t('importFormat')}</dt>
          <dd data-testid="import-format">{format}</dd>
        </div>
        <div>
          <dt>{t('importCrs')}</dt>
          <dd data-testid="import-crs" className={job.crs?.guessed ? 'guessed' : undefined}>
            {crsText(job.crs, t)}
          </dd>
        </div>
        <div>
          <dt>{t('importFeatureCount')}</dt>
          <dd data-testid="import-count">{job.featureCount === null ? t('importFeatureCountUnknown') : formatNumber(language, job.featureCount)}</dd>
        </div>
        {job.proposedMapping?.preset && (
          <div>
            <dt>{t('importPreset')}</dt>
            <dd data-testid="import-preset">{presetName(job.proposedMapping.preset, t('importPresetNames'))}</dd>
          </div>
        )}
      </dl>
      {job.crs?.guessed && <p className="import-warning">{t('importCrsGuessedHint')}</p>}
      {(job.warnings ?? []).map((w) => (
        <p key={w} className="import-warning" data-testid="import-warning">{w}</p>
      ))}
      {previewCount > 0 && <p className="muted">{t('importPreviewNote', { count: formatNumber(language, previewCount) })}</p>}
    </>
  );
}

/** "id=label|id=label" from the dictionary → the label of the preset id (the id when unknown). */
export function presetName(preset: string, table: string): string {
  const hit = table.split('|').map((pair) => pair.split('=')).find(([id]) => id === preset);
  return hit?.[1] ?? preset;
}

function InvalidSection({ job, policy, disabled, onChange }: { job: ImportJob; policy: InvalidPolicy; disabled: boolean; onChange: (p: InvalidPolicy) => void }) {
  const { language, t } = useI18n();
  const { count, examples } = job.invalid;
  const { shown, more } = firstOf(examples, count, 10);
  return (
    <fieldset className="import-invalid" data-testid="import-invalid">
      <legend>{t('importInvalidTitle')}</legend>
      {count === 0 ? (
        <p className="muted">{t('importInvalidNone')}</p>
      ) : (
        <>
          <p>{t('importInvalidCount', { count: formatNumber(language, count) })}</p>
          <ul className="reason-list">
            {shown.map((e) => (
              <li key={e.index}>{t('importFeatureReason', { index: e.index, reason: e.reason })}</li>
            ))}
            {more > 0 && <li className="muted">{t('importMore', { count: formatNumber(language, more) })}</li>}
          </ul>
        </>
      )}
      <div className="radio-row">
        <label>
          <input type="radio" name="import-invalid" value="skip" data-testid="import-invalid-skip" checked={policy === 'skip'} disabled={disabled} onChange={() => onChange('skip')} />
          {t('importInvalidSkip')}
        </label>
        <label>
          <input type="radio" name="import-invalid" value="repair" data-testid="import-invalid-repair" checked={policy === 'repair'} disabled={disabled} onChange={() => onChange('repair')} />
          {t('importInvalidRepair')}
        </label>
      </div>
    </fieldset>
  );
}

function OwnerSelect({ value, organisations, disabled, onChange }: { value: number | null; organisations: OrganisationsState; disabled: boolean; onChange: (id: number | null) => void }) {
  const { t } = useI18n();
  const list = organisations.status === 'ready' ? organisations.organisations : [];
  return (
    <div className="import-field">
      <label htmlFor="import-owner">{t('importOwner')}</label>
      <select id="import-owner" data-testid="import-owner" value={value === null ? '' : String(value)} disabled={disabled} onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}>
        <option value="">{t('importOwnerNone')}</option>
        {list.map((o) => (
          <option key={o.id} value={String(o.id)}>
            {o.name}
          </option>
        ))}
      </select>
      {organisations.status === 'error' && <span className="field-issue">{t('importOwnersUnavailable')}</span>}
    </div>
  );
}

function errorText(error: ReviewError, t: ReturnType<typeof useI18n>['t']): string {
  if ('message' in error) return error.message;
  return error.problem === 'layerName' ? t('importLayerNameRequired') : t('importFixForm');
}

const EPSG_CHOICES = [28992, 4326, 4258, 3857] as const;

/** When the CRS was guessed or is unknown, the analyst can state it; the file is analysed again. */
function CrsOverride({ job, disabled, onReanalyse }: { job: Review['job']; disabled: boolean; onReanalyse: (epsg: number) => void }) {
  const { t } = useI18n();
  const [epsg, setEpsg] = useState<number>(job.crs?.epsg ?? 28992);
  if (job.crs && !job.crs.guessed && job.crs.epsg !== null) return null;
  return (
    <div className="import-field" data-testid="import-crs-override">
      <label htmlFor="import-epsg">{t('importCrsOverride')}</label>
      <select id="import-epsg" data-testid="import-epsg" value={epsg} disabled={disabled} onChange={(e) => setEpsg(Number(e.target.value))}>
        {EPSG_CHOICES.map((c) => (
          <option key={c} value={c}>{`EPSG:${c}`}</option>
        ))}
      </select>
      <button type="button" className="secondary" data-testid="import-reanalyse" disabled={disabled} onClick={() => onReanalyse(epsg)}>
        {t('importReanalyse')}
      </button>
    </div>
  );
}

export function ReviewStep({ flow, organisations, dispatch, onReanalyse }: {
  flow: Review;
  organisations: OrganisationsState;
  dispatch: Dispatch<ImportFlowAction>;
  onReanalyse: (epsg: number) => void;
}) {
  const { t } = useI18n();
  const { job, draft, submitting } = flow;
  const nameMissing = flow.error !== null && 'problem' in flow.error && flow.error.problem === 'layerName';
  return (
    <div className="import-review">
      <Summary job={job} />
      <CrsOverride job={job} disabled={submitting} onReanalyse={onReanalyse} />
      <h3>{t('importTableTitle', { count: Math.min(20, job.sample.length) })}</h3>
      <AttributeTable job={job} />
      <MappingFields job={job} form={draft.form} disabled={submitting} dispatch={dispatch} />
      <div className="import-field">
        <label htmlFor="import-layer-name">{t('importLayerName')}</label>
        <input
          id="import-layer-name"
          type="text"
          data-testid="import-layer-name"
          value={draft.layerName}
          disabled={submitting}
          aria-invalid={nameMissing}
          aria-describedby="import-layer-name-hint"
          maxLength={200}
          onChange={(e) => dispatch({ type: 'import/draft', patch: { layerName: e.target.value } })}
        />
        <span id="import-layer-name-hint" className="muted small">
          {t('importLayerNameHint')}
        </span>
      </div>
      <OwnerSelect value={draft.ownerId} organisations={organisations} disabled={submitting} onChange={(ownerId) => dispatch({ type: 'import/draft', patch: { ownerId } })} />
      <InvalidSection job={job} policy={draft.invalid} disabled={submitting} onChange={(invalid) => dispatch({ type: 'import/draft', patch: { invalid } })} />
      {flow.error !== null && (
        <p className="import-error" role="alert" data-testid="import-error">
          {errorText(flow.error, t)}
        </p>
      )}
    </div>
  );
}
