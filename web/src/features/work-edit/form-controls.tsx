/**
 * Small pieces of the editor forms: a labelled field with its error next to it (tied to the
 * input by aria-describedby), and the error summary at the top.
 */
import type { ReactNode, RefObject } from 'react';
import { useI18n } from '../../i18n/context.ts';
import { errorText, type FieldError } from './form-common.ts';

/** Ids and ARIA of an input: `<prefix>-field-<name>` and, with an error, `<prefix>-error-<name>`. */
export function inputProps(prefix: string, name: string, error: FieldError | undefined, hintId?: string) {
  const describedBy = [error ? `${prefix}-error-${name}` : null, hintId ?? null].filter((x): x is string => x !== null).join(' ');
  return {
    id: `${prefix}-field-${name}`,
    'data-testid': `${prefix}-field-${name}`,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy === '' ? undefined : describedBy,
  };
}

export function FieldMessage({ prefix, name, error }: { prefix: string; name: string; error: FieldError | undefined }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <p id={`${prefix}-error-${name}`} data-testid={`${prefix}-error-${name}`} className="edit-field-error">
      {errorText(t, error)}
    </p>
  );
}

export interface FieldProps {
  prefix: string;
  name: string;
  label: string;
  required?: boolean;
  error: FieldError | undefined;
  children: ReactNode;
  className?: string;
}

/** A label above its input, the error under it. */
export function Field({ prefix, name, label, required, error, children, className }: FieldProps) {
  return (
    <div className={className ? `edit-field ${className}` : 'edit-field'}>
      <label htmlFor={`${prefix}-field-${name}`}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      {children}
      <FieldMessage prefix={prefix} name={name} error={error} />
    </div>
  );
}

/** "Controleer de gemarkeerde velden (3)" and a failed request, announced when they appear. */
export function ErrorSummary({ count, message, testId }: { count: number; message: FieldError | null; testId: string }) {
  const { t } = useI18n();
  if (count === 0 && !message) return null;
  return (
    <div className="edit-summary" role="alert" data-testid={testId}>
      {count > 0 && <p>{t('editErrorSummary', { count })}</p>}
      {message && <p>{errorText(t, message)}</p>}
    </div>
  );
}

/** The editor panel while the item loads: its title takes focus, the body says it is loading. */
export function LoadingPanel({ prefix, title, heading }: { prefix: string; title: string; heading: RefObject<HTMLHeadingElement | null> }) {
  const { t } = useI18n();
  return (
    <aside className="edit-panel" data-testid={`${prefix}-editor`} aria-labelledby={`${prefix}-editor-title`} aria-busy="true">
      <header className="edit-header">
        <h2 id={`${prefix}-editor-title`} ref={heading} tabIndex={-1}>
          {title}
        </h2>
      </header>
      <p className="edit-body muted">{t('editLoading')}</p>
    </aside>
  );
}
