/** The progress bar of the upload, analyse and load steps: a labelled <progress> with its percentage. */
import { useId } from 'react';
import type { ProgressView } from './progress-text.ts';

export function ProgressBlock({ view }: { view: ProgressView }) {
  const id = useId();
  return (
    <div className="import-progress" aria-live="polite">
      <label htmlFor={id} className="import-progress-text">
        {view.text}
      </label>
      <div className="import-progress-row">
        <progress id={id} data-testid="import-progress" max={100} value={view.percent ?? undefined}>
          {view.percent === null ? '' : `${view.percent} %`}
        </progress>
        {view.percent !== null && <span className="import-progress-percent">{view.percent} %</span>}
      </div>
    </div>
  );
}
