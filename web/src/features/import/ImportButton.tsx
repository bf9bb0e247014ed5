/**
 * "Importeren" in the header: a real button that opens the file picker (so it works from the
 * keyboard); the file input itself stays out of the tab order.
 */
import { useRef } from 'react';
import { useI18n } from '../../i18n/context.ts';

export interface ImportButtonProps {
  busy: boolean;
  onFile: (file: File) => void;
}

export function ImportButton({ busy, onFile }: ImportButtonProps) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="import-button"
        data-testid="import-button"
        title={t('importButtonTitle')}
        disabled={busy}
        onClick={() => input.current?.click()}
      >
        <span aria-hidden="true">⇪</span> {t('importButton')}
      </button>
      <input
        ref={input}
        type="file"
        className="visually-hidden"
        data-testid="import-file"
        tabIndex={-1}
        aria-label={t('importFileLabel')}
        onChange={(e) => {
          const file = e.target.files?.[0];
          // Reset, so choosing the same file again starts a new import.
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
    </>
  );
}
