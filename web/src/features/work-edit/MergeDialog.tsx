/**
 * After a 412: my version next to the one now on the server, per field that differs. Fields only
 * one side changed are chosen already (and can be switched); for a conflict the user picks. Then
 * the merge is saved against the current version.
 */
import { useI18n } from '../../i18n/context.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { ModalDialog } from '../auth/ModalDialog.tsx';
import { fieldValueText } from './field-text.ts';
import { choiceOf, unresolved, type MergeChoices, type MergePlan, type Side } from './merge.ts';

export interface MergeDialogProps {
  title: string;
  /** The version now on the server. */
  version: number | null;
  plan: MergePlan<string>;
  choices: MergeChoices<string>;
  labels: Readonly<Record<string, MessageKey>>;
  busy: boolean;
  onChoose: (field: string, side: Side) => void;
  onApply: () => void;
  onBack: () => void;
}

export function MergeDialog({ title, version, plan, choices, labels, busy, onChoose, onApply, onBack }: MergeDialogProps) {
  const { language, t } = useI18n();
  const label = (field: string): string => {
    const key = labels[field];
    return key ? t(key) : field;
  };
  const open = unresolved(plan, choices);
  const sides: Side[] = ['mine', 'theirs'];
  return (
    <ModalDialog
      name="merge"
      title={title}
      intro={t('mergeIntro', { version: version ?? '?' })}
      closeLabel={t('mergeBack')}
      testId="merge-dialog"
      variant="merge"
      onClose={onBack}
    >
      <table className="merge-table" aria-label={t('mergeTableLabel')}>
        <thead>
          <tr>
            <th scope="col">{t('mergeField')}</th>
            <th scope="col">{t('mergeMine')}</th>
            <th scope="col">{t('mergeTheirs')}</th>
          </tr>
        </thead>
        <tbody>
          {plan.rows.map((row) => {
            const chosen = choiceOf(row, choices);
            const headId = `merge-field-${row.field}`;
            return (
              <tr key={row.field} className={row.conflict ? 'merge-conflict' : undefined} data-testid={`merge-row-${row.field}`}>
                <th scope="row" id={headId}>
                  {label(row.field)}
                  <span className={row.conflict ? 'merge-badge' : 'merge-note muted'}>
                    {row.conflict ? t('mergeConflict') : row.auto === 'mine' ? t('mergeAutoMine') : t('mergeAutoTheirs')}
                  </span>
                </th>
                {sides.map((side) => (
                  <td key={side} className={chosen === side ? 'merge-chosen' : undefined}>
                    <label className="merge-choice">
                      <input
                        type="radio"
                        name={`merge-${row.field}`}
                        data-testid={`merge-choice-${row.field}-${side}`}
                        checked={chosen === side}
                        aria-describedby={headId}
                        onChange={() => onChoose(row.field, side)}
                      />
                      <span className="visually-hidden">{side === 'mine' ? t('mergeChooseMine') : t('mergeChooseTheirs')}: </span>
                      <span className="merge-value">{fieldValueText(row.field, side === 'mine' ? row.mine : row.theirs, t, language)}</span>
                    </label>
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {open.length > 0 && (
        <p className="edit-hint" data-testid="merge-unresolved">
          {t('mergeUnresolved', { fields: open.map(label).join(', ') })}
        </p>
      )}
      <div className="edit-actions">
        <button type="button" className="edit-primary" data-testid="merge-apply" disabled={busy || open.length > 0} onClick={onApply}>
          {busy ? t('editSaving') : t('mergeApply')}
        </button>
        <button type="button" data-testid="merge-back" onClick={onBack}>
          {t('mergeBack')}
        </button>
      </div>
    </ModalDialog>
  );
}
