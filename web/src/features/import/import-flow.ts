/**
 * The import flow as one pure state machine: upload → analyse → review (the analyst corrects the
 * proposed mapping) → load → report. The step follows the job's state as the API reports it;
 * the review draft (mapping form, layer name, owner, invalid-geometry policy) lives only here.
 *
 * One import at a time: a new upload is refused while one is busy (see isBusy).
 */
import { EMPTY_MAPPING, type InvalidPolicy, type LoadRequest, type MappingTarget } from '@model/asset-mapping.ts';
import type { ImportJob } from '../../api/types.ts';
import { formFromMapping, mappingFromForm, updateTarget, type FieldChoice, type MappingForm, type SystemChoice } from './mapping-form.ts';

export interface ReviewDraft {
  form: MappingForm;
  layerName: string;
  /** owning organisation; null = none chosen (taken from the data where the mapping says so) */
  ownerId: number | null;
  invalid: InvalidPolicy;
}

/** Why a load could not start: a form problem (shown by the form too) or the API's message. */
export type ReviewError = { problem: 'form' | 'layerName' } | { message: string };

export type ImportFlow =
  | { step: 'idle' }
  | { step: 'uploading'; fileName: string; sent: number; total: number }
  | { step: 'analysing'; job: ImportJob }
  | { step: 'review'; job: ImportJob; draft: ReviewDraft; submitting: boolean; error: ReviewError | null }
  | { step: 'loading'; job: ImportJob }
  | { step: 'report'; job: ImportJob }
  | { step: 'failed'; fileName: string; job: ImportJob | null; message: string; where: string | null }
  | { step: 'cancelled'; fileName: string; job: ImportJob | null };

export type ImportFlowAction =
  | { type: 'import/upload'; fileName: string; size: number }
  | { type: 'import/reupload'; fileName: string; size: number }
  | { type: 'import/uploadProgress'; sent: number; total: number }
  | { type: 'import/job'; job: ImportJob }
  /** the upload or a request failed before or outside the job (the API's message) */
  | { type: 'import/failed'; message: string }
  /** the upload was aborted before the API created a job */
  | { type: 'import/aborted' }
  | { type: 'import/system'; system: SystemChoice }
  | { type: 'import/target'; target: MappingTarget; choice: FieldChoice }
  | { type: 'import/draft'; patch: Partial<Pick<ReviewDraft, 'layerName' | 'ownerId' | 'invalid'>> }
  | { type: 'import/submit' }
  | { type: 'import/submitFailed'; error: ReviewError }
  | { type: 'import/close' };

export const initialImportFlow: ImportFlow = { step: 'idle' };

/** An import is under way: no second one may start, and the dialog cannot simply be closed. */
export function isBusy(flow: ImportFlow): boolean {
  return flow.step === 'uploading' || flow.step === 'analysing' || flow.step === 'review' || flow.step === 'loading';
}

/** Work runs on the server or the wire: closing would lose it, only "cancel" may stop it. */
export function isRunning(flow: ImportFlow): boolean {
  return flow.step === 'uploading' || flow.step === 'analysing' || flow.step === 'loading' || (flow.step === 'review' && flow.submitting);
}

export function flowJob(flow: ImportFlow): ImportJob | null {
  return 'job' in flow ? flow.job : null;
}

/** "leidingen.gpkg" → "leidingen"; "a.shp.zip" → "a". */
export function baseName(fileName: string): string {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  const stripped = name.replace(/(\.(zip|gz))?$/i, '').replace(/\.[^.]+$/, '');
  return stripped === '' ? name : stripped;
}

export function createDraft(job: ImportJob): ReviewDraft {
  return {
    form: formFromMapping(job.proposedMapping?.mapping ?? EMPTY_MAPPING),
    layerName: job.layerName ?? baseName(job.fileName),
    ownerId: null,
    invalid: job.invalid.count > 0 ? 'repair' : 'skip',
  };
}

/** The load request for a review draft, or the reason it cannot be sent. */
export function loadRequestOf(draft: ReviewDraft): { request: LoadRequest } | { problem: 'form' | 'layerName' } {
  const { mapping } = mappingFromForm(draft.form);
  if (mapping === null) return { problem: 'form' };
  const layerName = draft.layerName.trim();
  if (layerName === '') return { problem: 'layerName' };
  const request: LoadRequest = { mapping, layerName, invalid: draft.invalid };
  return { request: draft.ownerId === null ? request : { ...request, ownerId: draft.ownerId } };
}

function failedFromJob(job: ImportJob): ImportFlow {
  return { step: 'failed', fileName: job.fileName, job, message: job.error?.message ?? '', where: job.error?.where ?? null };
}

/** The step a job's state puts the flow in; the review draft survives repeated events. */
export function applyJob(flow: ImportFlow, job: ImportJob): ImportFlow {
  switch (job.state) {
    case 'analysing':
      return { step: 'analysing', job };
    case 'awaiting-mapping':
      if (flow.step === 'review' && flow.job.id === job.id) return { ...flow, job };
      return { step: 'review', job, draft: createDraft(job), submitting: false, error: null };
    case 'loading':
      return { step: 'loading', job };
    case 'done':
      return { step: 'report', job };
    case 'failed':
      return failedFromJob(job);
    case 'cancelled':
      return { step: 'cancelled', fileName: job.fileName, job };
  }
}

/** A job event counts only for the import on screen (a late event of a closed one is dropped). */
function acceptsJob(flow: ImportFlow, job: ImportJob): boolean {
  if (flow.step === 'uploading') return true;
  const current = flowJob(flow);
  if (current === null || current.id !== job.id) return false;
  // Once cancelled or finished, a stale "still running" event must not reopen the flow.
  return !(flow.step === 'cancelled' || flow.step === 'report' || flow.step === 'failed');
}

function updateReview(flow: ImportFlow, update: (draft: ReviewDraft) => ReviewDraft): ImportFlow {
  if (flow.step !== 'review' || flow.submitting) return flow;
  return { ...flow, draft: update(flow.draft), error: null };
}

function fileNameOf(flow: ImportFlow): string {
  if (flow.step === 'uploading' || flow.step === 'failed' || flow.step === 'cancelled') return flow.fileName;
  return flowJob(flow)?.fileName ?? '';
}

export function updateImportFlow(flow: ImportFlow, action: ImportFlowAction): ImportFlow {
  switch (action.type) {
    case 'import/reupload':
      // the same file analysed again with the analyst's CRS: only from its own review step
      return flow.step === 'review' && flow.job.fileName === action.fileName
        ? { step: 'uploading', fileName: action.fileName, sent: 0, total: action.size }
        : flow;
    case 'import/upload':
      return isBusy(flow) ? flow : { step: 'uploading', fileName: action.fileName, sent: 0, total: action.size };
    case 'import/uploadProgress':
      return flow.step === 'uploading' ? { ...flow, sent: action.sent, total: action.total } : flow;
    case 'import/job':
      return acceptsJob(flow, action.job) ? applyJob(flow, action.job) : flow;
    case 'import/failed':
      if (flow.step === 'idle') return flow;
      return { step: 'failed', fileName: fileNameOf(flow), job: flowJob(flow), message: action.message, where: null };
    case 'import/aborted':
      return flow.step === 'uploading' ? { step: 'cancelled', fileName: flow.fileName, job: null } : flow;
    case 'import/system':
      return updateReview(flow, (d) => ({ ...d, form: { ...d.form, system: action.system } }));
    case 'import/target':
      return updateReview(flow, (d) => ({ ...d, form: updateTarget(d.form, action.target, action.choice) }));
    case 'import/draft':
      return updateReview(flow, (d) => ({ ...d, ...action.patch }));
    case 'import/submit':
      return flow.step === 'review' ? { ...flow, submitting: true, error: null } : flow;
    case 'import/submitFailed':
      return flow.step === 'review' ? { ...flow, submitting: false, error: action.error } : flow;
    case 'import/close':
      return initialImportFlow;
  }
}
