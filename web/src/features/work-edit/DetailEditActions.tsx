/** "Bewerken" / "Verwijderen" under the detail card of a work or a moratorium. */
import { useI18n } from '../../i18n/context.ts';
import './work-edit.css';

export interface DetailEditActionsProps {
  kind: 'work' | 'moratorium';
  id: number;
  onEdit?: ((id: number) => void) | undefined;
  onDelete?: ((id: number) => void) | undefined;
}

export function DetailEditActions({ kind, id, onEdit, onDelete }: DetailEditActionsProps) {
  const { t } = useI18n();
  if (!onEdit && !onDelete) return null;
  const work = kind === 'work';
  return (
    <div className="detail-actions">
      {onEdit && (
        <button type="button" data-testid={`detail-edit-${kind}`} title={t(work ? 'editEditWorkLabel' : 'editEditMoratoriumLabel')} onClick={() => onEdit(id)}>
          {t('editEdit')}
        </button>
      )}
      {onDelete && (
        <button type="button" className="edit-danger" data-testid={`detail-delete-${kind}`} title={t(work ? 'editDeleteWorkLabel' : 'editDeleteMoratoriumLabel')} onClick={() => onDelete(id)}>
          {t('editDelete')}
        </button>
      )}
    </div>
  );
}
