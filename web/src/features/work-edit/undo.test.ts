import { describe, expect, it } from 'vitest';
import { afterUndo, doneMessage, emptyUndo, isTextField, isUndoKey, peekUndo, popUndo, pushUndo, undoStep, undoneMessage, withEtag, type UndoEntry } from './undo.ts';

const created: UndoEntry = { action: 'created', kind: 'work', id: 7, etag: '"work-7-v1"', label: 'Riool' };
const updated: UndoEntry = { action: 'updated', kind: 'work', id: 7, etag: '"work-7-v2"', previous: { title: 'Riool' }, applied: { title: 'Riool 2' }, label: 'Riool 2' };
const deleted: UndoEntry = { action: 'deleted', kind: 'moratorium', id: 3, label: 'Nieuwe bestrating' };

describe('undo stack', () => {
  it('pops the newest first and keeps at most the maximum', () => {
    let stack = pushUndo(pushUndo(emptyUndo, created), updated);
    expect(peekUndo(stack)).toBe(updated);
    const [top, rest] = popUndo(stack);
    expect(top).toBe(updated);
    expect(rest).toEqual([created]);
    expect(popUndo(emptyUndo)).toEqual([null, emptyUndo]);
    stack = emptyUndo;
    for (let i = 0; i < 5; i++) stack = pushUndo(stack, { ...created, id: i }, 3);
    expect(stack.map((e) => e.id)).toEqual([2, 3, 4]);
  });

  it('knows what undoing takes: delete, change back, restore', () => {
    expect(undoStep(created)).toEqual({ type: 'delete', kind: 'work', id: 7, etag: '"work-7-v1"' });
    expect(undoStep(updated)).toEqual({ type: 'patch', kind: 'work', id: 7, etag: '"work-7-v2"', change: { title: 'Riool' }, applied: { title: 'Riool 2' } });
    expect(undoStep(deleted)).toEqual({ type: 'restore', kind: 'moratorium', id: 3 });
  });

  it('keeps the newest ETag in the entries of the item', () => {
    const stack = withEtag([created, updated, deleted], 'work', 7, '"work-7-v5"');
    expect(stack.map((e) => ('etag' in e ? e.etag : '-'))).toEqual(['"work-7-v5"', '"work-7-v5"', '-']);
  });

  it('after undoing a creation, forgets the item; after a restore, refreshes its ETag', () => {
    expect(afterUndo([updated, deleted], created, null)).toEqual([deleted]);
    const restored = afterUndo([{ ...updated, kind: 'moratorium', id: 3 }], deleted, '"moratorium-3-v4"');
    expect(restored[0]).toMatchObject({ etag: '"moratorium-3-v4"' });
  });

  it('has a message for each action and its undo', () => {
    expect(doneMessage(created)).toBe('workToastCreated');
    expect(doneMessage(deleted)).toBe('moratoriumToastDeleted');
    expect(undoneMessage(deleted)).toBe('undoneDeleted');
  });
});

describe('Ctrl+Z', () => {
  const key = { key: 'z', ctrlKey: true, metaKey: false, shiftKey: false, altKey: false };
  it('is the app’s undo outside text fields', () => {
    expect(isUndoKey(key, null)).toBe(true);
    expect(isUndoKey(key, { tagName: 'BUTTON' })).toBe(true);
    expect(isUndoKey(key, { tagName: 'INPUT', type: 'checkbox' })).toBe(true);
    expect(isUndoKey({ ...key, ctrlKey: false, metaKey: true, key: 'Z' }, { tagName: 'DIV' })).toBe(true);
  });

  it('is left to text fields, and Shift (redo) or other keys do nothing', () => {
    expect(isUndoKey(key, { tagName: 'INPUT', type: 'text' })).toBe(false);
    expect(isUndoKey(key, { tagName: 'INPUT' })).toBe(false);
    expect(isUndoKey(key, { tagName: 'TEXTAREA' })).toBe(false);
    expect(isUndoKey(key, { tagName: 'DIV', isContentEditable: true })).toBe(false);
    expect(isUndoKey({ ...key, shiftKey: true }, null)).toBe(false);
    expect(isUndoKey({ ...key, key: 'y' }, null)).toBe(false);
    expect(isUndoKey({ ...key, ctrlKey: false }, null)).toBe(false);
    expect(isTextField({ tagName: 'INPUT', type: 'date' })).toBe(true);
  });
});
