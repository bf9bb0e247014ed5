import { describe, expect, it } from 'vitest';
import { applyJob, baseName, createDraft, initialImportFlow, isBusy, isRunning, loadRequestOf, updateImportFlow, type ImportFlow, type ImportFlowAction } from './import-flow.ts';
import { makeJob, REPORT } from './job-fixture.ts';

const run = (actions: ImportFlowAction[], from: ImportFlow = initialImportFlow): ImportFlow => actions.reduce(updateImportFlow, from);
const analysing = makeJob({ state: 'analysing', preview: null, proposedMapping: null });
const review = run([{ type: 'import/upload', fileName: 'riolering.gpkg', size: 1000 }, { type: 'import/job', job: makeJob() }]);

describe('the import flow', () => {
  it('goes upload → analyse → review → load → report as the job reports', () => {
    let flow = run([{ type: 'import/upload', fileName: 'riolering.gpkg', size: 1000 }, { type: 'import/uploadProgress', sent: 500, total: 1000 }]);
    expect(flow).toEqual({ step: 'uploading', fileName: 'riolering.gpkg', sent: 500, total: 1000 });
    flow = run([{ type: 'import/job', job: analysing }], flow);
    expect(flow.step).toBe('analysing');
    flow = run([{ type: 'import/job', job: makeJob() }], flow);
    expect(flow.step).toBe('review');
    flow = run([{ type: 'import/submit' }, { type: 'import/job', job: makeJob({ state: 'loading' }) }], flow);
    expect(flow.step).toBe('loading');
    flow = run([{ type: 'import/job', job: makeJob({ state: 'done', report: REPORT }) }], flow);
    expect(flow.step).toBe('report');
  });

  it('lets KLIC go from analysing to loading to done without a review', () => {
    const klic = makeJob({ format: 'klic', proposedMapping: null });
    const flow = run([
      { type: 'import/upload', fileName: 'levering.zip', size: 10 },
      { type: 'import/job', job: { ...klic, state: 'analysing' } },
      { type: 'import/job', job: { ...klic, state: 'loading' } },
      { type: 'import/job', job: { ...klic, state: 'done', report: REPORT } },
    ]);
    expect(flow.step).toBe('report');
  });

  it('starts the review from the proposed mapping, the suggested name and repair when geometries are invalid', () => {
    if (review.step !== 'review') throw new Error('expected review');
    expect(review.draft.layerName).toBe('riool_leidingen');
    expect(review.draft.invalid).toBe('repair');
    expect(review.draft.form.system).toEqual({ kind: 'value', value: 'riool_vrijverval' });
    expect(review.draft.form.targets.material).toEqual({ kind: 'field', field: 'MATERIAAL' });
    expect(createDraft(makeJob({ layerName: null, invalid: { count: 0, examples: [] } }))).toMatchObject({ layerName: 'riolering', invalid: 'skip' });
  });

  it('keeps the analyst’s edits when the same job is reported again', () => {
    const edited = run([{ type: 'import/target', target: 'label', choice: { kind: 'field', field: 'GUID' } }, { type: 'import/draft', patch: { layerName: 'Riool Venlo' } }], review);
    const again = applyJob(edited, makeJob({ featureCount: 4 }));
    expect(again.step === 'review' && again.draft.layerName).toBe('Riool Venlo');
    expect(again.step === 'review' && again.draft.form.targets.label).toEqual({ kind: 'field', field: 'GUID' });
    expect(again.step === 'review' && again.job.featureCount).toBe(4);
  });

  it('allows one import at a time', () => {
    expect(isBusy(review)).toBe(true);
    expect(run([{ type: 'import/upload', fileName: 'other.zip', size: 1 }], review)).toBe(review);
    const done = run([{ type: 'import/job', job: makeJob({ state: 'done', report: REPORT }) }], review);
    expect(isBusy(done)).toBe(false);
    expect(run([{ type: 'import/upload', fileName: 'other.zip', size: 1 }], done).step).toBe('uploading');
  });

  it('analyses the same file again from its review step only', () => {
    const again = run([{ type: 'import/reupload', fileName: review.step === 'review' ? review.job.fileName : '', size: 1 }], review);
    expect(again.step).toBe('uploading');
    expect(run([{ type: 'import/reupload', fileName: 'other.zip', size: 1 }], review)).toBe(review);
    expect(run([{ type: 'import/reupload', fileName: 'x', size: 1 }], initialImportFlow)).toBe(initialImportFlow);
  });

  it('ignores events of another job, and stale events after a cancel', () => {
    expect(run([{ type: 'import/job', job: makeJob({ id: 'other', state: 'loading' }) }], review)).toBe(review);
    const cancelled = run([{ type: 'import/job', job: makeJob({ state: 'cancelled' }) }], review);
    expect(cancelled.step).toBe('cancelled');
    expect(run([{ type: 'import/job', job: makeJob({ state: 'loading' }) }], cancelled)).toBe(cancelled);
    expect(run([{ type: 'import/job', job: makeJob() }], initialImportFlow)).toBe(initialImportFlow);
  });

  it('shows the job’s error message and where it happened', () => {
    const failed = run([{ type: 'import/job', job: makeJob({ state: 'failed', error: { code: 'bad_geometry', message: 'Ongeldige WKT in rij 12', where: 'leidingen.csv, rij 12' } }) }], review);
    expect(failed).toMatchObject({ step: 'failed', message: 'Ongeldige WKT in rij 12', where: 'leidingen.csv, rij 12' });
  });

  it('turns an upload error into a failed step with the API message, and an abort into cancelled', () => {
    const uploading = run([{ type: 'import/upload', fileName: 'x.shp', size: 5 }]);
    expect(run([{ type: 'import/failed', message: 'Een losse .shp is niet genoeg: zip hem samen met .dbf, .shx en .prj' }], uploading)).toMatchObject({
      step: 'failed',
      fileName: 'x.shp',
      job: null,
      message: 'Een losse .shp is niet genoeg: zip hem samen met .dbf, .shx en .prj',
    });
    expect(run([{ type: 'import/aborted' }], uploading)).toEqual({ step: 'cancelled', fileName: 'x.shp', job: null });
  });

  it('locks the form while the load request is on its way and unlocks it on failure', () => {
    const submitting = run([{ type: 'import/submit' }], review);
    expect(isRunning(submitting)).toBe(true);
    expect(run([{ type: 'import/draft', patch: { layerName: 'x' } }], submitting)).toBe(submitting);
    const refused = run([{ type: 'import/submitFailed', error: { message: 'Laagnaam bestaat al' } }], submitting);
    expect(refused).toMatchObject({ step: 'review', submitting: false, error: { message: 'Laagnaam bestaat al' } });
    expect(isRunning(refused)).toBe(false);
  });

  it('closes to idle', () => {
    expect(run([{ type: 'import/close' }], review)).toEqual(initialImportFlow);
  });
});

describe('loadRequestOf', () => {
  it('builds the LoadRequest, with the owner only when one is chosen', () => {
    if (review.step !== 'review') throw new Error('expected review');
    const result = loadRequestOf(review.draft);
    expect('request' in result && result.request).toMatchObject({ layerName: 'riool_leidingen', invalid: 'repair', mapping: { sourceId: { field: 'GUID' } } });
    expect('request' in result && 'ownerId' in result.request).toBe(false);
    const owned = loadRequestOf({ ...review.draft, ownerId: 4 });
    expect('request' in owned && owned.request.ownerId).toBe(4);
  });

  it('refuses an empty layer name and a form with issues', () => {
    if (review.step !== 'review') throw new Error('expected review');
    expect(loadRequestOf({ ...review.draft, layerName: '  ' })).toEqual({ problem: 'layerName' });
    const form = { ...review.draft.form, targets: { ...review.draft.form.targets, diameterMm: { kind: 'value' as const, value: 'groot' } } };
    expect(loadRequestOf({ ...review.draft, form })).toEqual({ problem: 'form' });
  });
});

describe('baseName', () => {
  it('drops the extension and a zip suffix', () => {
    expect(baseName('leidingen.gpkg')).toBe('leidingen');
    expect(baseName('bomen.shp.zip')).toBe('bomen');
    expect(baseName('C:\\data\\kabels.geojson')).toBe('kabels');
    expect(baseName('README')).toBe('README');
  });
});
