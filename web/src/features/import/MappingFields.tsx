/**
 * The mapping form: one row per target of the asset model. The system first (one system for the
 * layer, or per field with a value map), then each attribute: a source field, nothing, or a
 * fixed value. Select ids and test ids are `map-<target>`.
 */
import { MAPPING_TARGETS, type MappingTarget } from '@model/asset-mapping.ts';
import { SYSTEMS, isSystemCode } from '@model/systems.ts';
import type { Dispatch } from 'react';
import type { ImportJob } from '../../api/types.ts';
import { useI18n } from '../../i18n/context.ts';
import { systemLabel, type MessageKey } from '../../i18n/index.ts';
import type { ImportFlowAction } from './import-flow.ts';
import {
  choiceOfOption,
  distinctValues,
  fieldOptions,
  mapSystemValue,
  mappingFromForm,
  NONE_OPTION,
  optionOfChoice,
  optionOfSystem,
  PER_FIELD_OPTION,
  systemOfOption,
  VALUE_OPTION,
  type FormIssue,
  type FormTarget,
  type MappingForm,
  type SystemChoice,
} from './mapping-form.ts';

export const TARGET_KEYS: Readonly<Record<MappingTarget, MessageKey>> = {
  sourceId: 'importTargetSourceId',
  assetClass: 'importTargetAssetClass',
  owner: 'importTargetOwner',
  material: 'importTargetMaterial',
  diameterMm: 'importTargetDiameterMm',
  inServiceYear: 'importTargetInServiceYear',
  status: 'importTargetStatus',
  condition: 'importTargetCondition',
  replacementYear: 'importTargetReplacementYear',
  label: 'importTargetLabel',
};

const ISSUE_KEYS: Readonly<Record<FormIssue['problem'], MessageKey>> = {
  emptyValue: 'importIssueEmptyValue',
  notNumber: 'importIssueNotNumber',
  noField: 'importIssueNoField',
};

interface Props {
  job: ImportJob;
  form: MappingForm;
  disabled: boolean;
  dispatch: Dispatch<ImportFlowAction>;
}

function IssueText({ issues, target }: { issues: readonly FormIssue[]; target: FormTarget }) {
  const { t } = useI18n();
  const issue = issues.find((i) => i.target === target);
  if (!issue) return null;
  return (
    <span className="field-issue" id={`map-${target}-issue`} data-testid={`map-${target}-issue`}>
      {t(ISSUE_KEYS[issue.problem])}
    </span>
  );
}

function SystemOptions({ withFallbackOption }: { withFallbackOption: boolean }) {
  const { language, t } = useI18n();
  const sorted = [...SYSTEMS].sort((a, b) => systemLabel(language, a).localeCompare(systemLabel(language, b), language));
  return (
    <>
      {withFallbackOption && <option value="">{t('importSystemUseFallback')}</option>}
      {sorted.map((s) => (
        <option key={s.code} value={s.code}>
          {systemLabel(language, s)}
        </option>
      ))}
    </>
  );
}

function SystemValueMap({ job, choice, disabled, fields, onChange }: { job: ImportJob; choice: Extract<SystemChoice, { kind: 'field' }>; disabled: boolean; fields: string[]; onChange: (c: SystemChoice) => void }) {
  const { t } = useI18n();
  const values = distinctValues(job, choice.field);
  return (
    <div className="system-map">
      <label htmlFor="map-system-field">{t('importSystemField')}</label>
      <select id="map-system-field" data-testid="map-system-field" value={choice.field} disabled={disabled} onChange={(e) => onChange({ ...choice, field: e.target.value, map: {} })}>
        {fields.map((f) => (
          <option key={f} value={f}>
            {f}
          </option>
        ))}
      </select>
      {values.length === 0 ? (
        <p className="muted">{t('importSystemNoValues')}</p>
      ) : (
        <table className="system-map-table">
          <thead>
            <tr>
              <th scope="col">{t('importSystemValue')}</th>
              <th scope="col">{t('importTargetSystem')}</th>
            </tr>
          </thead>
          <tbody>
            {values.map((value, i) => (
              <tr key={value}>
                <th scope="row">
                  <label htmlFor={`map-system-value-${i}`}>{value}</label>
                </th>
                <td>
                  <select
                    id={`map-system-value-${i}`}
                    data-testid={`map-system-value-${i}`}
                    value={choice.map[value] ?? ''}
                    disabled={disabled}
                    onChange={(e) => onChange(mapSystemValue(choice, value, isSystemCode(e.target.value) ? e.target.value : null))}
                  >
                    <SystemOptions withFallbackOption />
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <label htmlFor="map-system-fallback">{t('importSystemFallback')}</label>
      <select
        id="map-system-fallback"
        data-testid="map-system-fallback"
        value={choice.fallback}
        disabled={disabled}
        onChange={(e) => {
          const code = e.target.value;
          if (isSystemCode(code)) onChange({ ...choice, fallback: code });
        }}
      >
        <SystemOptions withFallbackOption={false} />
      </select>
    </div>
  );
}

function SystemRow({ job, form, disabled, fields, issues, dispatch }: Props & { fields: string[]; issues: FormIssue[] }) {
  const { t } = useI18n();
  const onChange = (system: SystemChoice): void => dispatch({ type: 'import/system', system });
  return (
    <div className="mapping-row mapping-row-system">
      <label htmlFor="map-system">{t('importTargetSystem')}</label>
      <div className="mapping-input">
        <select id="map-system" data-testid="map-system" value={optionOfSystem(form.system)} disabled={disabled} onChange={(e) => onChange(systemOfOption(e.target.value, form.system, fields))}>
          <optgroup label={t('importOptionSystems')}>
            <SystemOptions withFallbackOption={false} />
          </optgroup>
          {fields.length > 0 && <option value={PER_FIELD_OPTION}>{t('importOptionPerField')}</option>}
        </select>
        <IssueText issues={issues} target="system" />
      </div>
      {form.system.kind === 'field' && <SystemValueMap job={job} choice={form.system} disabled={disabled} fields={fields} onChange={onChange} />}
    </div>
  );
}

function TargetRow({ target, form, fields, disabled, issues, dispatch }: { target: MappingTarget; form: MappingForm; fields: string[]; disabled: boolean; issues: FormIssue[]; dispatch: Dispatch<ImportFlowAction> }) {
  const { t } = useI18n();
  const choice = form.targets[target];
  const label = t(TARGET_KEYS[target]);
  const hasIssue = issues.some((i) => i.target === target);
  return (
    <div className="mapping-row">
      <label htmlFor={`map-${target}`}>{label}</label>
      <div className="mapping-input">
        <select
          id={`map-${target}`}
          data-testid={`map-${target}`}
          value={optionOfChoice(choice)}
          disabled={disabled}
          onChange={(e) => dispatch({ type: 'import/target', target, choice: choiceOfOption(e.target.value, choice) })}
        >
          <option value={NONE_OPTION}>{t('importOptionNone')}</option>
          <optgroup label={t('importOptionFields')}>
            {fields.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </optgroup>
          <option value={VALUE_OPTION}>{t('importOptionValue')}</option>
        </select>
        {choice.kind === 'value' && (
          <input
            type="text"
            data-testid={`map-${target}-value`}
            aria-label={t('importValueLabel', { target: label })}
            aria-invalid={hasIssue}
            aria-describedby={hasIssue ? `map-${target}-issue` : undefined}
            value={choice.value}
            disabled={disabled}
            onChange={(e) => dispatch({ type: 'import/target', target, choice: { kind: 'value', value: e.target.value } })}
          />
        )}
        <IssueText issues={issues} target={target} />
      </div>
    </div>
  );
}

export function MappingFields(props: Props) {
  const { t } = useI18n();
  const { job, form, disabled, dispatch } = props;
  const fields = fieldOptions(job, form);
  const { issues } = mappingFromForm(form);
  return (
    <fieldset className="import-mapping" data-testid="import-mapping">
      <legend>{t('importMappingTitle')}</legend>
      <p className="muted">{t('importMappingHint')}</p>
      <SystemRow {...props} fields={fields} issues={issues} />
      {MAPPING_TARGETS.map((target) => (
        <TargetRow key={target} target={target} form={form} fields={fields} disabled={disabled} issues={issues} dispatch={dispatch} />
      ))}
    </fieldset>
  );
}
