/**
 * The side panel to plan a work: drawing its location on the map (the panel leaves the map
 * free), the form with its errors next to the fields, Save / Cancel / Delete, and the merge
 * dialog after a 412. Thin: state and steps are in use-work-editor.ts.
 */
import { SYSTEMS } from '@model/systems.ts';
import { useEffect, useRef, type FormEvent } from 'react';
import { useI18n } from '../../i18n/context.ts';
import { systemLabel } from '../../i18n/index.ts';
import { workKindLabel, workStatusLabel } from '../works/works-labels.ts';
import { DrawToolbar } from './DrawToolbar.tsx';
import { visibleErrors } from './editor-flow.ts';
import { levelLabelOf } from './field-text.ts';
import { ErrorSummary, Field, FieldMessage, LoadingPanel, inputProps } from './form-controls.tsx';
import { WORK_OPS } from './item-ops.ts';
import { MergeDialog } from './MergeDialog.tsx';
import type { WorkEditor as Editor } from './use-work-editor.ts';
import { CONFIDENTIALITY_LEVELS, FIELD_LABELS, WORK_KINDS, WORK_STATUSES, type WorkForm } from './work-form.ts';
import './work-edit.css';

const P = 'work';
const DATE_FIELDS = ['earliestStart', 'preferredStart', 'preferredEnd', 'latestEnd'] as const;
const REQUIRED_DATES = new Set(['preferredStart', 'preferredEnd']);

export function WorkEditor({ editor }: { editor: Editor }) {
  const { language, t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const { state } = editor;
  const openId = state.status === 'work' ? (state.session.id ?? 'new') : state.status === 'loading' && state.kind === 'work' ? `loading-${state.id}` : null;
  useEffect(() => {
    // the panel announces itself by taking focus (on opening, and once loaded)
    if (openId !== null) heading.current?.focus();
  }, [openId]);
  if (openId === null) return null;

  if (state.status !== 'work') {
    return <LoadingPanel prefix="work" title={t('workEditorTitleEdit')} heading={heading} />;
  }

  const { session } = state;
  const form = session.form;
  const errors = visibleErrors(WORK_OPS, session);
  const set = editor.setWorkField;
  const text = (name: 'title' | 'contact', max: number, required = false) => (
    <Field prefix={P} name={name} label={t(FIELD_LABELS[name])} required={required} error={errors[name]}>
      <input type="text" maxLength={max} value={form[name]} required={required} onChange={(e) => set(name, e.target.value)} {...inputProps(P, name, errors[name])} />
    </Field>
  );
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    void editor.save();
  };
  const toggleSystem = (code: string, on: boolean): void => set('systems', on ? [...form.systems, code] : form.systems.filter((c) => c !== code));
  const errorCount = Object.keys(errors).length;

  return (
    <aside className="edit-panel" data-testid="work-editor" aria-labelledby="work-editor-title">
      <header className="edit-header">
        <h2 id="work-editor-title" ref={heading} tabIndex={-1}>
          {session.id === null ? t('workEditorTitleNew') : t('workEditorTitleEdit')}
        </h2>
        {session.version !== null && <span className="muted edit-version">{t('editVersion', { version: session.version })}</span>}
        <button type="button" className="icon-button" onClick={editor.cancel} aria-label={t('editCancel')} title={t('editCancel')}>
          <span aria-hidden="true">×</span>
        </button>
      </header>
      <form className="edit-body" onSubmit={onSubmit} noValidate aria-busy={session.busy}>
        <ErrorSummary count={errorCount} message={session.message} testId="work-error-summary" />
        <DrawToolbar editor={editor} geometry={form.geometry} prefix={P} error={errors.geometry} label={t('workFieldGeometry')} />
        {text('title', 200, true)}
        <Field prefix={P} name="owner" label={t('workFieldOwner')} error={errors.owner}>
          <input type="text" readOnly value={editor.ownerName ? t('editOwnOrganisation', { name: editor.ownerName }) : form.owner} {...inputProps(P, 'owner', errors.owner)} />
        </Field>
        <Field prefix={P} name="kind" label={t('workFieldKind')} required error={errors.kind}>
          <select value={form.kind} required onChange={(e) => set('kind', e.target.value)} {...inputProps(P, 'kind', errors.kind)}>
            <option value="">{t('editChoose')}</option>
            {!(WORK_KINDS as readonly string[]).includes(form.kind) && form.kind !== '' && <option value={form.kind}>{form.kind}</option>}
            {WORK_KINDS.map((k) => (
              <option key={k} value={k}>
                {workKindLabel(t, k)}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="edit-field edit-checks" data-testid="work-field-systems" aria-describedby={errors.systems ? 'work-error-systems' : undefined}>
          <legend>{t('workFieldSystems')}</legend>
          {SYSTEMS.map((s) => (
            <label key={s.code}>
              <input type="checkbox" data-testid={`work-field-systems-${s.code}`} checked={form.systems.includes(s.code)} onChange={(e) => toggleSystem(s.code, e.target.checked)} />
              <span className="edit-swatch" style={{ backgroundColor: s.color }} aria-hidden="true" />
              {systemLabel(language, s)}
            </label>
          ))}
          <FieldMessage prefix={P} name="systems" error={errors.systems} />
        </fieldset>
        <Field prefix={P} name="status" label={t('workFieldStatus')} error={errors.status}>
          <select value={form.status} onChange={(e) => set('status', e.target.value)} {...inputProps(P, 'status', errors.status)}>
            {WORK_STATUSES.map((s) => (
              <option key={s} value={s}>
                {workStatusLabel(t, s)}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="edit-field edit-dates">
          <legend>{t('workFieldWindows')}</legend>
          <p id="work-windows-hint" className="edit-hint muted">
            {t('workWindowsHint')}
          </p>
          {DATE_FIELDS.map((name) => (
            <Field key={name} prefix={P} name={name} label={t(FIELD_LABELS[name])} required={REQUIRED_DATES.has(name)} error={errors[name]}>
              <input type="date" value={form[name]} required={REQUIRED_DATES.has(name)} onChange={(e) => set(name, e.target.value)} {...inputProps(P, name, errors[name], 'work-windows-hint')} />
            </Field>
          ))}
        </fieldset>
        <div className="edit-field edit-inline">
          <label>
            <input type="checkbox" checked={form.opensGround} onChange={(e) => set('opensGround', e.target.checked)} {...inputProps(P, 'opensGround', errors.opensGround)} />
            {t('workFieldOpensGround')}
          </label>
          <FieldMessage prefix={P} name="opensGround" error={errors.opensGround} />
        </div>
        {form.opensGround && (
          <Field prefix={P} name="trenchWidth" label={t('workFieldTrenchWidth')} error={errors.trenchWidth}>
            <input type="number" inputMode="decimal" min="0.1" max="100" step="0.1" value={form.trenchWidth} onChange={(e) => set('trenchWidth', e.target.value)} {...inputProps(P, 'trenchWidth', errors.trenchWidth)} />
          </Field>
        )}
        <Field prefix={P} name="costEstimate" label={t('workFieldCostEstimate')} error={errors.costEstimate}>
          <input type="number" inputMode="decimal" min="0" step="100" value={form.costEstimate} onChange={(e) => set('costEstimate', e.target.value)} {...inputProps(P, 'costEstimate', errors.costEstimate)} />
        </Field>
        {text('contact', 300)}
        <Field prefix={P} name="confidentiality" label={t('workFieldConfidentiality')} error={errors.confidentiality}>
          <select value={form.confidentiality} onChange={(e) => set('confidentiality', e.target.value as WorkForm['confidentiality'])} {...inputProps(P, 'confidentiality', errors.confidentiality)}>
            {CONFIDENTIALITY_LEVELS.map((level) => (
              <option key={level} value={level}>
                {levelLabelOf(t, level)}
              </option>
            ))}
          </select>
        </Field>
        <p className="edit-hint muted">{t('editRequiredHint')}</p>
        <div className="edit-actions">
          <button type="submit" className="edit-primary" data-testid="work-save" disabled={session.busy}>
            {session.busy ? t('editSaving') : t('editSave')}
          </button>
          <button type="button" data-testid="work-cancel" onClick={editor.cancel}>
            {t('editCancel')}
          </button>
          {session.id !== null && (
            <button type="button" className="edit-danger" data-testid="work-delete" disabled={session.busy} title={t('editDeleteWorkLabel')} onClick={() => void editor.deleteCurrent()}>
              {t('editDelete')}
            </button>
          )}
        </div>
      </form>
      {session.merge && (
        <MergeDialog
          title={t('mergeTitleWork')}
          version={session.merge.version}
          plan={session.merge.plan}
          choices={session.merge.choices}
          labels={FIELD_LABELS}
          busy={session.busy}
          onChoose={editor.merge.choose}
          onApply={() => void editor.merge.apply()}
          onBack={editor.merge.back}
        />
      )}
    </aside>
  );
}
