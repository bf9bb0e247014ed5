/**
 * The side panel to put a street or area under a dig moratorium (graafrust): draw it, from/until,
 * the reason and the exceptions that may still open the ground; save / delete with undo, and the
 * merge dialog after a 412.
 */
import { useEffect, useRef, type FormEvent } from 'react';
import { useI18n } from '../../i18n/context.ts';
import { exceptionLabel } from '../works/works-labels.ts';
import { DrawToolbar } from './DrawToolbar.tsx';
import { visibleErrors } from './editor-flow.ts';
import { ErrorSummary, Field, FieldMessage, LoadingPanel, inputProps } from './form-controls.tsx';
import { MORATORIUM_OPS } from './item-ops.ts';
import { MergeDialog } from './MergeDialog.tsx';
import { MORATORIUM_EXCEPTIONS, MORATORIUM_FIELD_LABELS } from './moratorium-form.ts';
import type { WorkEditor } from './use-work-editor.ts';
import './work-edit.css';

const P = 'moratorium';

export function MoratoriumEditor({ editor }: { editor: WorkEditor }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const { state } = editor;
  const openId =
    state.status === 'moratorium' ? (state.session.id ?? 'new') : state.status === 'loading' && state.kind === 'moratorium' ? `loading-${state.id}` : null;
  useEffect(() => {
    if (openId !== null) heading.current?.focus();
  }, [openId]);
  if (openId === null) return null;

  if (state.status !== 'moratorium') {
    return <LoadingPanel prefix="moratorium" title={t('moratoriumEditorTitleEdit')} heading={heading} />;
  }

  const { session } = state;
  const form = session.form;
  const errors = visibleErrors(MORATORIUM_OPS, session);
  const set = editor.setMoratoriumField;
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    void editor.save();
  };
  const toggle = (value: string, on: boolean): void => set('exceptions', on ? [...form.exceptions, value] : form.exceptions.filter((x) => x !== value));

  return (
    <aside className="edit-panel" data-testid="moratorium-editor" aria-labelledby="moratorium-editor-title">
      <header className="edit-header">
        <h2 id="moratorium-editor-title" ref={heading} tabIndex={-1}>
          {session.id === null ? t('moratoriumEditorTitleNew') : t('moratoriumEditorTitleEdit')}
        </h2>
        {session.version !== null && <span className="muted edit-version">{t('editVersion', { version: session.version })}</span>}
        <button type="button" className="icon-button" onClick={editor.cancel} aria-label={t('editCancel')} title={t('editCancel')}>
          <span aria-hidden="true">×</span>
        </button>
      </header>
      <form className="edit-body" onSubmit={onSubmit} noValidate aria-busy={session.busy}>
        <ErrorSummary count={Object.keys(errors).length} message={session.message} testId="moratorium-error-summary" />
        <DrawToolbar editor={editor} geometry={form.geometry} prefix={P} error={errors.geometry} label={t('moratoriumFieldGeometry')} />
        <Field prefix={P} name="reason" label={t('moratoriumFieldReason')} required error={errors.reason}>
          <textarea rows={2} maxLength={500} value={form.reason} required onChange={(e) => set('reason', e.target.value)} {...inputProps(P, 'reason', errors.reason)} />
        </Field>
        <div className="edit-pair">
          <Field prefix={P} name="from" label={t('moratoriumFieldFrom')} required error={errors.from}>
            <input type="date" value={form.from} required onChange={(e) => set('from', e.target.value)} {...inputProps(P, 'from', errors.from)} />
          </Field>
          <Field prefix={P} name="until" label={t('moratoriumFieldUntil')} required error={errors.until}>
            <input type="date" value={form.until} required onChange={(e) => set('until', e.target.value)} {...inputProps(P, 'until', errors.until)} />
          </Field>
        </div>
        <fieldset className="edit-field edit-checks" data-testid="moratorium-field-exceptions" aria-describedby={errors.exceptions ? 'moratorium-error-exceptions' : undefined}>
          <legend>{t('moratoriumFieldExceptions')}</legend>
          {MORATORIUM_EXCEPTIONS.map((value) => (
            <label key={value}>
              <input
                type="checkbox"
                data-testid={`moratorium-field-exceptions-${value.replace(/[^a-z0-9]+/g, '-')}`}
                checked={form.exceptions.includes(value)}
                onChange={(e) => toggle(value, e.target.checked)}
              />
              {exceptionLabel(t, value)}
            </label>
          ))}
          <FieldMessage prefix={P} name="exceptions" error={errors.exceptions} />
        </fieldset>
        <p className="edit-hint muted">{t('editRequiredHint')}</p>
        <div className="edit-actions">
          <button type="submit" className="edit-primary" data-testid="moratorium-save" disabled={session.busy}>
            {session.busy ? t('editSaving') : t('editSave')}
          </button>
          <button type="button" data-testid="moratorium-cancel" onClick={editor.cancel}>
            {t('editCancel')}
          </button>
          {session.id !== null && (
            <button
              type="button"
              className="edit-danger"
              data-testid="moratorium-delete"
              disabled={session.busy}
              title={t('editDeleteMoratoriumLabel')}
              onClick={() => void editor.deleteCurrent()}
            >
              {t('editDelete')}
            </button>
          )}
        </div>
      </form>
      {session.merge && (
        <MergeDialog
          title={t('mergeTitleMoratorium')}
          version={session.merge.version}
          plan={session.merge.plan}
          choices={session.merge.choices}
          labels={MORATORIUM_FIELD_LABELS}
          busy={session.busy}
          onChoose={editor.merge.choose}
          onApply={() => void editor.merge.apply()}
          onBack={editor.merge.back}
        />
      )}
    </aside>
  );
}
