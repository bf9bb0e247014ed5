/**
 * Undo for the editor: the stack of the session's edits, the notice after each ("Werk
 * verwijderd — Ongedaan maken") and Ctrl+Z outside text fields. Undoing runs the step against
 * the API (editor-flow.ts runUndo) and refreshes the ETags of the item's older entries.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ItemKind, WorkApi } from '../../api/work-endpoints.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { runUndo } from './editor-flow.ts';
import type { FieldError } from './form-common.ts';
import { MORATORIUM_OPS, WORK_OPS } from './item-ops.ts';
import { afterUndo, doneMessage, emptyUndo, isUndoKey, popUndo, pushUndo, undoneMessage, withEtag, type UndoEntry, type UndoStack } from './undo.ts';

export interface Toast {
  seq: number;
  message: FieldError;
  /** A second line (e.g. a generated moratorium). */
  extra: MessageKey | null;
  /** Offer "Ongedaan maken". */
  undoable: boolean;
  /** An error rather than a confirmation. */
  error: boolean;
}

export interface UseUndo {
  toast: Toast | null;
  canUndo: boolean;
  busy: boolean;
  /** Remember a done action and say so, with an undo button. */
  push: (entry: UndoEntry, extra?: MessageKey | null) => void;
  /** Say something without an undo (an error, or a merge that changed nothing). */
  say: (message: FieldError, error?: boolean) => void;
  undo: () => Promise<void>;
  dismiss: () => void;
}

export interface UndoDeps {
  api: WorkApi;
  /** Ctrl+Z listens only while true (not while an editor is open: there it belongs to the form). */
  keyboard: boolean;
  /** After an undo changed an item on the server. */
  onUndone: (kind: ItemKind, id: number, action: UndoEntry['action']) => void;
}

export function useUndo({ api, keyboard, onUndone }: UndoDeps): UseUndo {
  const [stack, setStack] = useState<UndoStack>(emptyUndo);
  const [toast, setToast] = useState<Toast | null>(null);
  const [busy, setBusy] = useState(false);
  const current = useRef({ stack, busy, api, onUndone });
  useLayoutEffect(() => {
    current.current = { stack, busy, api, onUndone };
  });
  const seq = useRef(0);

  const show = useCallback((t: Omit<Toast, 'seq'>) => setToast({ ...t, seq: ++seq.current }), []);

  const push = useCallback(
    (entry: UndoEntry, extra: MessageKey | null = null) => {
      // a later save of an item gives its older entries the new ETag
      const add = (s: UndoStack): UndoStack => pushUndo(entry.action === 'deleted' ? s : withEtag(s, entry.kind, entry.id, entry.etag), entry);
      setStack(add);
      current.current.stack = add(current.current.stack);
      show({ message: { key: doneMessage(entry), vars: { label: entry.label } }, extra, undoable: true, error: false });
    },
    [show],
  );

  const say = useCallback((message: FieldError, error = true) => show({ message, extra: null, undoable: false, error }), [show]);

  const undo = useCallback(async () => {
    const now = current.current;
    const [entry, rest] = popUndo(now.stack);
    if (!entry || now.busy) return;
    now.busy = true;
    now.stack = rest;
    setBusy(true);
    setStack(rest);
    const outcome = entry.kind === 'work' ? await runUndo(WORK_OPS, now.api, entry) : await runUndo(MORATORIUM_OPS, now.api, entry);
    current.current.busy = false;
    setBusy(false);
    if (outcome.type === 'failed') {
      show({ message: outcome.message, extra: null, undoable: false, error: true });
      return;
    }
    setStack((s) => afterUndo(s, entry, outcome.etag));
    current.current.stack = afterUndo(current.current.stack, entry, outcome.etag);
    show({ message: { key: undoneMessage(entry), vars: { label: entry.label } }, extra: null, undoable: false, error: false });
    current.current.onUndone(entry.kind, entry.id, entry.action);
  }, [show]);

  const dismiss = useCallback(() => setToast(null), []);

  useEffect(() => {
    if (!keyboard) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || current.current.stack.length === 0) return;
      if (!isUndoKey(e, e.target instanceof HTMLElement ? e.target : null)) return;
      e.preventDefault();
      void undo();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [keyboard, undo]);

  return { toast, canUndo: stack.length > 0, busy, push, say, undo, dismiss };
}
