/**
 * The editor's steps, written once for works and moratoria (item-ops.ts) and free of React, so
 * they can be tested with a fake API: save (create, or PATCH only what changed with If-Match),
 * a 412 turned into a three-way merge, applying the merge (again with the current ETag; a
 * second 412 merges again), delete, and carrying out an undo without losing anybody's update.
 */
import { ApiError, describeError } from '../../api/client.ts';
import type { WorkApi } from '../../api/work-endpoints.ts';
import { sameValue, serverFieldError, type FieldError, type FieldErrors } from './form-common.ts';
import type { ItemOps, Loaded } from './item-ops.ts';
import { resolveMerge, threeWayMerge, unresolved, type MergeChoices, type MergePlan } from './merge.ts';
import { undoStep, type UndoEntry } from './undo.ts';

export interface MergeSession<V, F extends string> {
  plan: MergePlan<F>;
  choices: MergeChoices<F>;
  mine: V;
  theirs: V;
  /** ETag and version of `theirs`: the PATCH after merging goes against them. */
  etag: string;
  version: number | null;
}

export interface Session<Form, V, F extends string> {
  /** null: a new item. */
  id: number | null;
  etag: string | null;
  version: number | null;
  form: Form;
  /** The values as loaded (the base of the change and of a merge); null for a new item. */
  base: V | null;
  busy: boolean;
  /** Show the validation errors (after the first attempt to save). */
  showErrors: boolean;
  /** What the server refused, at the field it named. */
  serverErrors: FieldErrors<F>;
  /** A message for the whole form (the request failed). */
  message: FieldError | null;
  merge: MergeSession<V, F> | null;
}

type AnyOps<Form, V extends Readonly<Record<F, unknown>>, F extends string> = ItemOps<Form, V, F>;

export function newSession<Form, V, F extends string>(form: Form): Session<Form, V, F> {
  return { id: null, etag: null, version: null, form, base: null, busy: false, showErrors: false, serverErrors: {}, message: null, merge: null };
}

export function loadedSession<Form, V extends Readonly<Record<F, unknown>>, F extends string>(ops: AnyOps<Form, V, F>, loaded: Loaded<V>): Session<Form, V, F> {
  return { ...newSession<Form, V, F>(ops.formOf(loaded.values)), id: loaded.id, etag: loaded.etag, version: loaded.version, base: loaded.values };
}

export type SaveOutcome<Form, V, F extends string> =
  | { type: 'invalid'; errors: FieldErrors<F>; form?: Form }
  | { type: 'unchanged' }
  | { type: 'saved'; loaded: Loaded<V>; undo: UndoEntry; created: boolean }
  | { type: 'stale'; merge: MergeSession<V, F> }
  | { type: 'unresolved'; fields: F[] }
  | { type: 'adopted'; theirs: V; etag: string; version: number | null }
  | { type: 'failed'; message: FieldError; serverErrors: FieldErrors<F> };

function failed<F extends string>(fields: readonly F[], err: unknown, key: FieldError['key'] = 'editErrorSave'): { type: 'failed'; message: FieldError; serverErrors: FieldErrors<F> } {
  const text = describeError(err);
  const gone = err instanceof ApiError && err.status === 404;
  const onField = err instanceof ApiError && err.status === 400 ? serverFieldError(text, fields) : null;
  return {
    type: 'failed',
    message: { key: gone ? 'editErrorGone' : key, vars: { message: text } },
    serverErrors: onField ? ({ [onField.field]: onField.error } as FieldErrors<F>) : {},
  };
}

/** PATCH from `base` to `values`; a 412 becomes a merge of base, values and the current state. */
async function sendChange<Form, V extends Readonly<Record<F, unknown>>, F extends string>(
  ops: AnyOps<Form, V, F>,
  api: WorkApi,
  id: number,
  base: V,
  values: V,
  etag: string,
): Promise<SaveOutcome<Form, V, F>> {
  const change = ops.change(base, values);
  if (Object.keys(change).length === 0) return { type: 'unchanged' };
  try {
    const loaded = await ops.update(api, id, change, etag);
    const label = ops.label(loaded.values, id);
    const undo: UndoEntry = { action: 'updated', kind: ops.kind, id, etag: loaded.etag, previous: ops.change(values, base), applied: change, label };
    return { type: 'saved', loaded, undo, created: false };
  } catch (err) {
    const current = ops.stale(err);
    if (!current) return failed(ops.fields, err);
    const plan = threeWayMerge(ops.fields, base, values, current.values);
    return { type: 'stale', merge: { plan, choices: {}, mine: values, theirs: current.values, etag: current.etag, version: current.version } };
  }
}

/** Save the form: create a new item, or send what changed since it was loaded. */
export async function saveSession<Form, V extends Readonly<Record<F, unknown>>, F extends string>(
  ops: AnyOps<Form, V, F>,
  api: WorkApi,
  session: Session<Form, V, F>,
): Promise<SaveOutcome<Form, V, F>> {
  const checked = ops.validate(session.form);
  if (!checked.ok) return { type: 'invalid', errors: checked.errors };
  if (session.id === null || session.base === null || session.etag === null) {
    try {
      const loaded = await ops.create(api, checked.body);
      const undo: UndoEntry = { action: 'created', kind: ops.kind, id: loaded.id, etag: loaded.etag, label: ops.label(loaded.values, loaded.id) };
      return { type: 'saved', loaded, undo, created: true };
    } catch (err) {
      return failed(ops.fields, err);
    }
  }
  return sendChange(ops, api, session.id, session.base, checked.values, session.etag);
}

/**
 * Apply the user's choices: the merged values go as a change against the current state, with its
 * ETag. Merged values that do not validate (e.g. my start with their end) go back to the form.
 */
export async function applyMerge<Form, V extends Readonly<Record<F, unknown>>, F extends string>(
  ops: AnyOps<Form, V, F>,
  api: WorkApi,
  id: number,
  merge: MergeSession<V, F>,
): Promise<SaveOutcome<Form, V, F>> {
  const open = unresolved(merge.plan, merge.choices);
  if (open.length > 0) return { type: 'unresolved', fields: open };
  const merged = resolveMerge(merge.plan, merge.choices, merge.mine, merge.theirs);
  const form = ops.formOf(merged);
  const checked = ops.validate(form);
  if (!checked.ok) return { type: 'invalid', errors: checked.errors, form };
  if (Object.keys(ops.change(merge.theirs, checked.values)).length === 0) return { type: 'adopted', theirs: merge.theirs, etag: merge.etag, version: merge.version };
  return sendChange(ops, api, id, merge.theirs, checked.values, merge.etag);
}

export type DeleteOutcome = { type: 'deleted'; undo: UndoEntry } | { type: 'failed'; message: FieldError };

/** Delete an item; without a known ETag it is read first. A 412 (changed meanwhile) deletes nothing. */
export async function deleteItem<Form, V extends Readonly<Record<F, unknown>>, F extends string>(
  ops: AnyOps<Form, V, F>,
  api: WorkApi,
  id: number,
  known: { etag: string; label: string } | null,
): Promise<DeleteOutcome> {
  try {
    let target = known;
    if (target === null) {
      const loaded = await ops.load(api, id);
      target = { etag: loaded.etag, label: ops.label(loaded.values, id) };
    }
    await ops.remove(api, id, target.etag);
    return { type: 'deleted', undo: { action: 'deleted', kind: ops.kind, id, label: target.label } };
  } catch (err) {
    if (ops.stale(err)) return { type: 'failed', message: { key: 'editErrorDeleteStale', vars: { message: describeError(err) } } };
    return { type: 'failed', message: failed(ops.fields, err, 'editErrorDelete').message };
  }
}

export type UndoOutcome = { type: 'undone'; etag: string | null } | { type: 'failed'; message: FieldError };

/**
 * Undo one entry. Changing back reads the item first and goes ahead only when the fields it puts
 * back still hold what this user set (nobody changed them since): no lost update.
 */
export async function runUndo<Form, V extends Readonly<Record<F, unknown>>, F extends string>(ops: AnyOps<Form, V, F>, api: WorkApi, entry: UndoEntry): Promise<UndoOutcome> {
  const step = undoStep(entry);
  const changed = (): UndoOutcome => ({ type: 'failed', message: { key: 'editErrorUndoChanged', vars: { message: entry.label } } });
  try {
    switch (step.type) {
      case 'delete':
        await ops.remove(api, step.id, step.etag);
        return { type: 'undone', etag: null };
      case 'restore':
        return { type: 'undone', etag: (await ops.restore(api, step.id)).etag };
      case 'patch': {
        const now = await ops.load(api, step.id);
        const values = now.values as Readonly<Record<string, unknown>>;
        if (!Object.entries(step.applied).every(([field, value]) => sameValue(values[field], value))) return changed();
        return { type: 'undone', etag: (await ops.update(api, step.id, step.change, now.etag)).etag };
      }
    }
  } catch (err) {
    if (ops.stale(err)) return changed();
    return { type: 'failed', message: { key: 'editErrorUndo', vars: { message: describeError(err) } } };
  }
}

/** The errors to show: the form's own (once the user tried to save) and what the server refused. */
export function visibleErrors<Form, V extends Readonly<Record<F, unknown>>, F extends string>(ops: AnyOps<Form, V, F>, session: Session<Form, V, F>): FieldErrors<F> {
  const own = session.showErrors ? ops.validate(session.form) : null;
  return { ...(own && !own.ok ? own.errors : {}), ...session.serverErrors };
}
