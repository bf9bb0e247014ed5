/**
 * Drawing the location: Lijn / Vlak, "Opnieuw tekenen", adjusting the points of a finished one,
 * the live measure (length, or area and perimeter) and a hint of what to do on the map.
 */
import { useState } from 'react';
import { useI18n } from '../../i18n/context.ts';
import { formatMeasure, measureGeometry, type MeasurableGeometry } from '../../map/measure.ts';
import { errorText, type FieldError } from './form-common.ts';
import type { WorkEditor } from './use-work-editor.ts';
import type { EditGeometry } from './work-form.ts';

export interface DrawToolbarProps {
  editor: WorkEditor;
  /** The location in the form. */
  geometry: EditGeometry | null;
  /** Test ids: `<prefix>-draw-line`, `<prefix>-draw-polygon`, `<prefix>-measure`. */
  prefix: string;
  error: FieldError | undefined;
  label: string;
}

export function DrawToolbar({ editor, geometry, prefix, error, label }: DrawToolbarProps) {
  const { language, t } = useI18n();
  const [multiPart, setMultiPart] = useState(false);
  const { draw } = editor;
  const shown: MeasurableGeometry | null = draw.active && draw.live ? draw.live : geometry;
  const measure = formatMeasure(language, measureGeometry(shown));
  const kind = draw.kind ?? (geometry?.type.endsWith('Polygon') ? 'polygon' : 'linestring');
  const noMap = draw.ready ? undefined : t('drawNoMap');
  const hint = !draw.active ? null : draw.phase === 'editing' ? t('drawHintEdit') : draw.kind === 'polygon' ? t('drawHintPolygon') : t('drawHintLine');
  const errorId = `${prefix}-error-geometry`;
  return (
    <fieldset className="edit-draw" aria-describedby={error ? errorId : undefined}>
      <legend>
        {label} <span aria-hidden="true">*</span>
      </legend>
      <div className="edit-draw-buttons" role="toolbar" aria-label={t('drawToolbarLabel')}>
        <button
          type="button"
          data-testid={`${prefix}-draw-line`}
          title={noMap ?? t('drawLineTitle')}
          aria-pressed={draw.active && draw.kind === 'linestring'}
          disabled={!draw.ready}
          onClick={() => editor.drawNew('linestring')}
        >
          {t('drawLine')}
        </button>
        <button
          type="button"
          data-testid={`${prefix}-draw-polygon`}
          title={noMap ?? t('drawPolygonTitle')}
          aria-pressed={draw.active && draw.kind === 'polygon'}
          disabled={!draw.ready}
          onClick={() => editor.drawNew('polygon')}
        >
          {t('drawPolygon')}
        </button>
        {geometry && (
          <button type="button" data-testid={`${prefix}-draw-redraw`} disabled={!draw.ready} title={noMap} onClick={() => editor.drawNew(kind)}>
            {t('drawRedraw')}
          </button>
        )}
        {geometry && !draw.active && (
          <button type="button" data-testid={`${prefix}-draw-edit`} disabled={!draw.ready} title={noMap} onClick={() => setMultiPart(!editor.editGeometry())}>
            {t('drawEditVertices')}
          </button>
        )}
        {draw.active && (
          <button type="button" data-testid={`${prefix}-draw-done`} onClick={editor.stopDrawing}>
            {t('drawDone')}
          </button>
        )}
      </div>
      <p className="edit-measure">
        <span className="muted">{t('drawMeasure')}: </span>
        <output data-testid={`${prefix}-measure`} aria-live="polite">
          {measure || t('drawNothing')}
        </output>
      </p>
      {hint && <p className="edit-hint muted">{hint}</p>}
      {multiPart && !draw.active && <p className="edit-hint">{t('drawMultiPart')}</p>}
      {error && (
        <p id={errorId} data-testid={errorId} className="edit-field-error">
          {errorText(t, error)}
        </p>
      )}
    </fieldset>
  );
}
