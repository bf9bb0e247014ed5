/**
 * The undo stack of edits to works and moratoria: creating one is undone by deleting it, a change
 * by changing the changed fields back (with the newest ETag we know), a delete by restoring it
 * (the server keeps the deleted row, with its id). Pure: the hook carries the steps out.
 */
import type { ItemKind } from '../../api/work-endpoints.ts';
import type { MessageKey } from '../../i18n/index.ts';

export type UndoEntry =
  | { action: 'created'; kind: ItemKind; id: number; etag: string; label: string }
  /**
   * `previous`: the change that puts the changed fields back; `applied`: the change made, so undo
   * can tell whether someone changed those fields since. `etag`: the version after the change.
   */
  | {
      action: 'updated';
      kind: ItemKind;
      id: number;
      etag: string;
      previous: Readonly<Record<string, unknown>>;
      applied: Readonly<Record<string, unknown>>;
      label: string;
    }
  | { action: 'deleted'; kind: ItemKind; id: number; label: string };

export type UndoStack = readonly UndoEntry[];

export type UndoStep =
  | { type: 'delete'; kind: ItemKind; id: number; etag: string }
  | { type: 'patch'; kind: ItemKind; id: number; etag: string; change: Readonly<Record<string, unknown>>; applied: Readonly<Record<string, unknown>> }
  | { type: 'restore'; kind: ItemKind; id: number };

export const MAX_UNDO = 20;

export const emptyUndo: UndoStack = [];

/** Adds an entry on top; the oldest go when there are more than `max`. */
export function pushUndo(stack: UndoStack, entry: UndoEntry, max = MAX_UNDO): UndoStack {
  const next = [...stack, entry];
  return next.length > max ? next.slice(next.length - max) : next;
}

export const peekUndo = (stack: UndoStack): UndoEntry | null => stack[stack.length - 1] ?? null;

export function popUndo(stack: UndoStack): [UndoEntry | null, UndoStack] {
  const top = peekUndo(stack);
  return top ? [top, stack.slice(0, -1)] : [null, stack];
}

/** The item's newest ETag into its entries (after any later save, restore or undo of it). */
export function withEtag(stack: UndoStack, kind: ItemKind, id: number, etag: string): UndoStack {
  return stack.map((e) => (e.kind === kind && e.id === id && e.action !== 'deleted' ? { ...e, etag } : e));
}

/** Drops the entries of an item that no longer exists (its creation was undone). */
export function forgetItem(stack: UndoStack, kind: ItemKind, id: number): UndoStack {
  return stack.filter((e) => !(e.kind === kind && e.id === id));
}

/** What undoing an entry takes. */
export function undoStep(entry: UndoEntry): UndoStep {
  switch (entry.action) {
    case 'created':
      return { type: 'delete', kind: entry.kind, id: entry.id, etag: entry.etag };
    case 'updated':
      return { type: 'patch', kind: entry.kind, id: entry.id, etag: entry.etag, change: entry.previous, applied: entry.applied };
    case 'deleted':
      return { type: 'restore', kind: entry.kind, id: entry.id };
  }
}

/** After an undo: the stack without the entry, the item's new ETag in the rest (none after undoing a creation). */
export function afterUndo(rest: UndoStack, entry: UndoEntry, etag: string | null): UndoStack {
  if (entry.action === 'created') return forgetItem(rest, entry.kind, entry.id);
  return etag === null ? rest : withEtag(rest, entry.kind, entry.id, etag);
}

const DONE: Readonly<Record<ItemKind, Record<UndoEntry['action'], MessageKey>>> = {
  work: { created: 'workToastCreated', updated: 'workToastUpdated', deleted: 'workToastDeleted' },
  moratorium: { created: 'moratoriumToastCreated', updated: 'moratoriumToastUpdated', deleted: 'moratoriumToastDeleted' },
};

const UNDONE: Readonly<Record<UndoEntry['action'], MessageKey>> = {
  created: 'undoneCreated',
  updated: 'undoneUpdated',
  deleted: 'undoneDeleted',
};

/** The notice after an action ("Werk verwijderd: {label}"). */
export const doneMessage = (entry: UndoEntry): MessageKey => DONE[entry.kind][entry.action];
/** The notice after undoing it ("Verwijderen ongedaan gemaakt: {label}"). */
export const undoneMessage = (entry: UndoEntry): MessageKey => UNDONE[entry.action];

const NOT_TEXT_INPUTS = ['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image'];

export interface KeyTarget {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
}

/** Does typing go into this element (a text field), so Ctrl+Z is its own? */
export function isTextField(target: KeyTarget | null): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = (target.tagName ?? '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && !NOT_TEXT_INPUTS.includes((target.type ?? 'text').toLowerCase());
}

/** Ctrl+Z (Cmd+Z) without Shift, while focus is not in a text field: the app's undo, not the browser's. */
export function isUndoKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }, target: KeyTarget | null): boolean {
  if (!(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey || e.key.toLowerCase() !== 'z') return false;
  return !isTextField(target);
}
