import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.ts';
import type { WorkDetail } from '../../api/types.ts';
import { StaleWorkError, etagOf, type MoratoriumDetail, type WorkApi } from '../../api/work-endpoints.ts';
import { WorkChange } from '@model/work.ts';
import { applyMerge, deleteItem, loadedSession, newSession, runUndo, saveSession, visibleErrors, type Session } from './editor-flow.ts';
import { WORK_OPS } from './item-ops.ts';
import { newWorkForm, type WorkField, type WorkForm, type WorkValues } from './work-form.ts';

/** A server of works with versions and If-Match, as the API behaves. */
function fakeServer() {
  const works = new Map<number, WorkDetail>();
  const deleted = new Map<number, WorkDetail>();
  const calls: string[] = [];
  let next = 7;
  const answer = (w: WorkDetail) => ({ work: structuredClone(w), etag: etagOf('work', w.id, w.version ?? 0), moratoriumCreated: null });
  const check = (id: number, etag: string): WorkDetail => {
    const w = works.get(id);
    if (!w) throw new ApiError(`work ${id} not found`, 404, 'not_found');
    if (etag !== etagOf('work', id, w.version ?? 0)) throw new StaleWorkError(`work ${id} changed`, structuredClone(w), etagOf('work', id, w.version ?? 0));
    return w;
  };
  const notHere = (): never => {
    throw new Error('not used');
  };
  const api: WorkApi = {
    getWorkWithEtag: (id) => {
      calls.push(`GET ${id}`);
      const w = works.get(id);
      return w ? Promise.resolve(answer(w)) : Promise.reject(new ApiError('gone', 404, 'not_found'));
    },
    createWork: (body) => {
      calls.push(`POST ${JSON.stringify(Object.keys(body))}`);
      const w = { ...(body as Partial<WorkDetail>), id: next++, version: 1 } as WorkDetail;
      works.set(w.id, w);
      return Promise.resolve(answer(w));
    },
    updateWork: async (id, change, etag) => {
      calls.push(`PATCH ${id} ${etag} ${JSON.stringify(change)}`);
      const w = check(id, etag);
      // as the server parses a change
      const parsed = WorkChange.parse(change) as Partial<WorkDetail>;
      const updated = { ...w, ...parsed, version: (w.version ?? 0) + 1 };
      works.set(id, updated);
      return answer(updated);
    },
    deleteWork: async (id, etag) => {
      calls.push(`DELETE ${id} ${etag}`);
      const w = check(id, etag);
      works.delete(id);
      deleted.set(id, w);
    },
    restoreWork: async (id) => {
      calls.push(`RESTORE ${id}`);
      const w = deleted.get(id);
      if (!w) throw new ApiError('not deleted', 409, 'not_deleted');
      const back = { ...w, version: (w.version ?? 0) + 1 };
      works.set(id, back);
      deleted.delete(id);
      return answer(back);
    },
    getMoratoriumWithEtag: notHere,
    createMoratorium: notHere,
    updateMoratorium: notHere,
    deleteMoratorium: (): Promise<void> => notHere(),
    restoreMoratorium: notHere as () => Promise<{ moratorium: MoratoriumDetail; etag: string }>,
  };
  /** Someone else saves a change. */
  const otherSaves = (id: number, change: Partial<WorkDetail>): void => {
    const w = works.get(id);
    if (w) works.set(id, { ...w, ...change, version: (w.version ?? 0) + 1 });
  };
  return { api, works, calls, otherSaves };
}

const line = { type: 'LineString' as const, coordinates: [[5.1, 52.1], [5.1005, 52.1]] };
const form = (extra: Partial<WorkForm> = {}): WorkForm => ({
  ...newWorkForm('gemeente-x'),
  title: 'Riool Dorpsstraat',
  kind: 'vervanging riool',
  preferredStart: '2026-05-01',
  preferredEnd: '2026-06-30',
  geometry: line,
  ...extra,
});

type WorkSession = Session<WorkForm, WorkValues, WorkField>;

async function created(server: ReturnType<typeof fakeServer>): Promise<WorkSession> {
  const outcome = await saveSession(WORK_OPS, server.api, newSession<WorkForm, WorkValues, WorkField>(form()));
  if (outcome.type !== 'saved') throw new Error(outcome.type);
  return loadedSession(WORK_OPS, outcome.loaded);
}

describe('saving', () => {
  it('creates a new work, with an undo that deletes it', async () => {
    const server = fakeServer();
    const outcome = await saveSession(WORK_OPS, server.api, newSession<WorkForm, WorkValues, WorkField>(form()));
    expect(outcome).toMatchObject({ type: 'saved', created: true, undo: { action: 'created', id: 7, etag: '"work-7-v1"', label: 'Riool Dorpsstraat' } });
  });

  it('does not send an invalid form', async () => {
    const server = fakeServer();
    const outcome = await saveSession(WORK_OPS, server.api, newSession<WorkForm, WorkValues, WorkField>(form({ preferredEnd: '2026-04-01' })));
    expect(outcome).toMatchObject({ type: 'invalid', errors: { preferredEnd: { key: 'editErrorWindow' } } });
    expect(server.calls).toEqual([]);
  });

  it('sends only the changed fields with If-Match, and the undo puts them back', async () => {
    const server = fakeServer();
    const session = await created(server);
    const outcome = await saveSession(WORK_OPS, server.api, { ...session, form: { ...session.form, title: 'Riool en water' } });
    expect(server.calls.at(-1)).toBe('PATCH 7 "work-7-v1" {"title":"Riool en water"}');
    expect(outcome).toMatchObject({ type: 'saved', undo: { action: 'updated', etag: '"work-7-v2"', previous: { title: 'Riool Dorpsstraat' }, applied: { title: 'Riool en water' } } });
  });

  it('keeps the fields the server would reset to their defaults when a change leaves them out', async () => {
    const server = fakeServer();
    const first = await saveSession(WORK_OPS, server.api, newSession<WorkForm, WorkValues, WorkField>(form({ systems: ['drinkwater'], status: 'in voorbereiding', opensGround: false, confidentiality: 'C2' })));
    if (first.type !== 'saved') throw new Error(first.type);
    const session = loadedSession(WORK_OPS, first.loaded);
    await saveSession(WORK_OPS, server.api, { ...session, form: { ...session.form, title: 'Alleen de titel' } });
    expect(server.works.get(7)).toMatchObject({ title: 'Alleen de titel', systems: ['drinkwater'], status: 'in voorbereiding', opensGround: false, confidentiality: 'C2' });
  });

  it('says so when nothing changed', async () => {
    const server = fakeServer();
    expect(await saveSession(WORK_OPS, server.api, await created(server))).toEqual({ type: 'unchanged' });
  });
});

describe('a stale version (412): merge, no lost update', () => {
  it('merges what only one side changed and sends mine against the current ETag', async () => {
    const server = fakeServer();
    const session = await created(server);
    server.otherSaves(7, { status: 'in voorbereiding' });
    const stale = await saveSession(WORK_OPS, server.api, { ...session, form: { ...session.form, title: 'Mijn titel' } });
    if (stale.type !== 'stale') throw new Error(stale.type);
    expect(stale.merge.etag).toBe('"work-7-v2"');
    expect(stale.merge.plan.rows.map((r) => [r.field, r.auto])).toEqual([['title', 'mine'], ['status', 'theirs']]);
    const applied = await applyMerge(WORK_OPS, server.api, 7, stale.merge);
    expect(applied.type).toBe('saved');
    expect(server.calls.at(-1)).toBe('PATCH 7 "work-7-v2" {"title":"Mijn titel"}');
    expect(server.works.get(7)).toMatchObject({ title: 'Mijn titel', status: 'in voorbereiding', version: 3 });
  });

  it('asks the user for a field both changed, then saves the choice', async () => {
    const server = fakeServer();
    const session = await created(server);
    server.otherSaves(7, { preferredEnd: '2026-08-01' });
    const stale = await saveSession(WORK_OPS, server.api, { ...session, form: { ...session.form, preferredEnd: '2026-07-15' } });
    if (stale.type !== 'stale') throw new Error(stale.type);
    expect(await applyMerge(WORK_OPS, server.api, 7, stale.merge)).toEqual({ type: 'unresolved', fields: ['preferredEnd'] });
    const theirs = await applyMerge(WORK_OPS, server.api, 7, { ...stale.merge, choices: { preferredEnd: 'theirs' } });
    expect(theirs.type).toBe('adopted');
    const mine = await applyMerge(WORK_OPS, server.api, 7, { ...stale.merge, choices: { preferredEnd: 'mine' } });
    expect(mine.type).toBe('saved');
    expect(server.works.get(7)?.preferredEnd).toBe('2026-07-15');
  });

  it('merges again when the server changed once more in between', async () => {
    const server = fakeServer();
    const session = await created(server);
    server.otherSaves(7, { contact: 'Piet' });
    const stale = await saveSession(WORK_OPS, server.api, { ...session, form: { ...session.form, title: 'Mijn titel' } });
    if (stale.type !== 'stale') throw new Error(stale.type);
    server.otherSaves(7, { costEstimate: 5000 });
    const again = await applyMerge(WORK_OPS, server.api, 7, stale.merge);
    if (again.type !== 'stale') throw new Error(again.type);
    expect(again.merge.plan.rows.map((r) => [r.field, r.auto])).toEqual([['title', 'mine'], ['costEstimate', 'theirs']]);
    expect((await applyMerge(WORK_OPS, server.api, 7, again.merge)).type).toBe('saved');
    expect(server.works.get(7)).toMatchObject({ title: 'Mijn titel', contact: 'Piet', costEstimate: 5000 });
  });

  it('sends a merge that does not validate back to the form', async () => {
    const server = fakeServer();
    const session = await created(server);
    server.otherSaves(7, { preferredEnd: '2026-05-15' });
    const stale = await saveSession(WORK_OPS, server.api, { ...session, form: { ...session.form, preferredStart: '2026-06-01' } });
    if (stale.type !== 'stale') throw new Error(stale.type);
    const outcome = await applyMerge(WORK_OPS, server.api, 7, stale.merge);
    expect(outcome).toMatchObject({ type: 'invalid', errors: { preferredEnd: { key: 'editErrorWindow' } }, form: { preferredStart: '2026-06-01', preferredEnd: '2026-05-15' } });
  });
});

describe('delete and undo', () => {
  it('deletes with a fresh ETag and restores on undo', async () => {
    const server = fakeServer();
    await created(server);
    const outcome = await deleteItem(WORK_OPS, server.api, 7, null);
    if (outcome.type !== 'deleted') throw new Error(outcome.type);
    expect(server.calls.slice(-2)).toEqual(['GET 7', 'DELETE 7 "work-7-v1"']);
    expect(await runUndo(WORK_OPS, server.api, outcome.undo)).toEqual({ type: 'undone', etag: '"work-7-v2"' });
    expect(server.works.has(7)).toBe(true);
  });

  it('does not delete a work someone changed in between', async () => {
    const server = fakeServer();
    await created(server);
    server.otherSaves(7, { title: 'Anders' });
    const outcome = await deleteItem(WORK_OPS, server.api, 7, { etag: '"work-7-v1"', label: 'Riool' });
    expect(outcome).toMatchObject({ type: 'failed', message: { key: 'editErrorDeleteStale' } });
    expect(server.works.has(7)).toBe(true);
  });

  it('undoes a creation by deleting it', async () => {
    const server = fakeServer();
    await created(server);
    expect(await runUndo(WORK_OPS, server.api, { action: 'created', kind: 'work', id: 7, etag: '"work-7-v1"', label: 'Riool' })).toEqual({ type: 'undone', etag: null });
    expect(server.works.has(7)).toBe(false);
  });

  it('undoes a change after a 412 only when nobody touched the changed fields', async () => {
    const server = fakeServer();
    const session = await created(server);
    const saved = await saveSession(WORK_OPS, server.api, { ...session, form: { ...session.form, title: 'Mijn titel' } });
    if (saved.type !== 'saved') throw new Error(saved.type);
    server.otherSaves(7, { contact: 'Piet' });
    expect(await runUndo(WORK_OPS, server.api, saved.undo)).toEqual({ type: 'undone', etag: '"work-7-v4"' });
    expect(server.works.get(7)).toMatchObject({ title: 'Riool Dorpsstraat', contact: 'Piet' });

    const again = await saveSession(WORK_OPS, server.api, { ...session, etag: '"work-7-v4"', form: { ...session.form, title: 'Nog eens' } });
    if (again.type !== 'saved') throw new Error(again.type);
    server.otherSaves(7, { title: 'Van een ander' });
    expect(await runUndo(WORK_OPS, server.api, again.undo)).toMatchObject({ type: 'failed', message: { key: 'editErrorUndoChanged' } });
    expect(server.works.get(7)?.title).toBe('Van een ander');
  });

  it('reports a work that is gone', async () => {
    const server = fakeServer();
    const session = await created(server);
    server.works.delete(7);
    const outcome = await saveSession(WORK_OPS, server.api, { ...session, form: { ...session.form, title: 'Mijn titel' } });
    expect(outcome).toMatchObject({ type: 'failed', message: { key: 'editErrorGone' } });
  });
});

describe('visibleErrors', () => {
  it('shows the form’s errors only after a first attempt, and the server’s always', () => {
    const session = newSession<WorkForm, WorkValues, WorkField>(form({ title: '' }));
    expect(visibleErrors(WORK_OPS, session)).toEqual({});
    expect(visibleErrors(WORK_OPS, { ...session, showErrors: true })).toEqual({ title: { key: 'editErrorRequired' } });
    const refused = { ...session, form: form(), serverErrors: { geometry: { key: 'editErrorServer' as const, vars: { message: 'geometry: empty' } } } };
    expect(visibleErrors(WORK_OPS, refused)).toEqual({ geometry: { key: 'editErrorServer', vars: { message: 'geometry: empty' } } });
  });
});
