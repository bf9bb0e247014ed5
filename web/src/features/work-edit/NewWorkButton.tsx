/**
 * "Nieuw werk" and "Nieuwe graafrust" for the header: only for administrators, analysts and area
 * managers (the server decides; this only hides them).
 */
import { useI18n } from '../../i18n/context.ts';
import type { WorkEditor } from './use-work-editor.ts';
import './work-edit.css';

export function NewWorkButton({ editor }: { editor: WorkEditor }) {
  const { t } = useI18n();
  if (!editor.canEdit) return null;
  return (
    <button type="button" className="work-new-button" data-testid="work-new" title={t('workNewTitle')} onClick={editor.startCreate}>
      <span aria-hidden="true">+</span> {t('workNew')}
    </button>
  );
}

export function NewMoratoriumButton({ editor }: { editor: WorkEditor }) {
  const { t } = useI18n();
  if (!editor.canEdit) return null;
  return (
    <button
      type="button"
      className="work-new-button"
      data-testid="moratorium-new"
      title={t('moratoriumNewTitle')}
      onClick={editor.startCreateMoratorium}
    >
      <span aria-hidden="true">+</span> {t('moratoriumNew')}
    </button>
  );
}
