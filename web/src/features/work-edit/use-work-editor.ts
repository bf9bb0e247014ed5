/**
 * The editor of planned works and dig moratoria (issue 5), for the side panel and the map:
 * open a new or existing item, draw its location, save (only what changed, with If-Match),
 * merge after a 412, delete, and undo any of it. One item is open at a time. The steps
 * themselves are in editor-flow.ts; this hook holds the state and talks to the map and the app.
 */
import type { Geometry } from 'geojson';
import type * as maplibregl from 'maplibre-gl';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type Dispatch } from 'react';
import { describeError, type ApiClient } from '../../api/client.ts';
import type { CurrentUser } from '../../api/types.ts';
import { workEndpoints, type ItemKind, type WorkApi } from '../../api/work-endpoints.ts';
import type { DrawKind, DrawnGeometry } from '../../map/draw-controller.ts';
import type { AppAction } from '../../state/app-state.ts';
import type { Selection } from '../../state/selection.ts';
import { applyMerge, deleteItem, loadedSession, newSession, saveSession, type SaveOutcome, type Session } from './editor-flow.ts';
import { todayIso, withoutError } from './form-common.ts';
import { MORATORIUM_OPS, WORK_OPS, type ItemOps } from './item-ops.ts';
import type { Side } from './merge.ts';
import { newMoratoriumForm, type MoratoriumField, type MoratoriumForm, type MoratoriumValues } from './moratorium-form.ts';
import type { UndoEntry } from './undo.ts';
import { useDrawing, type DrawingState } from './use-drawing.ts';
import { useUndo, type UseUndo } from './use-undo.ts';
import { newWorkForm, type EditGeometry, type WorkField, type WorkForm, type WorkValues } from './work-form.ts';

export type WorkSession = Session<WorkForm, WorkValues, WorkField>;
export type MoratoriumSession = Session<MoratoriumForm, MoratoriumValues, MoratoriumField>;

export type EditorState =
  | { status: 'idle' }
  | { status: 'loading'; kind: ItemKind; id: number }
  | { status: 'work'; session: WorkSession }
  | { status: 'moratorium'; session: MoratoriumSession };

export interface ItemChange {
  kind: ItemKind;
  id: number;
  action: 'created' | 'updated' | 'deleted' | 'undone';
}

export interface UseWorkEditorDeps {
  api: ApiClient;
  /** The map to draw on (MapView's onMap); null until it has loaded. */
  map: maplibregl.Map | null;
  /** The signed-in user; null when signed out. */
  me: CurrentUser | null;
  dispatch: Dispatch<AppAction>;
  /** After anything changed on the server: reload the works and the moratoria. */
  onChanged: (change: ItemChange) => void;
  /** The current selection: its detail card is refreshed after a change of it. */
  selection?: Selection | undefined;
  /** Works whose vertices the pointer snaps to while drawing (the one being edited is skipped). */
  snapTo?: readonly { geometry: Geometry | null; properties: { id: number } }[] | undefined;
}

export interface WorkEditor {
  state: EditorState;
  /** Administrators, analysts and area managers plan works (the server decides; this hides buttons). */
  canEdit: boolean;
  /** For MapView's `drawing`: while true, map clicks select nothing. */
  drawing: boolean;
  draw: DrawingState & { ready: boolean };
  /** The owner shown read-only: the user's organisation. */
  ownerName: string;
  startCreate: () => void;
  startEdit: (workId: number) => void;
  remove: (workId: number) => Promise<void>;
  startCreateMoratorium: () => void;
  startEditMoratorium: (id: number) => void;
  removeMoratorium: (id: number) => Promise<void>;
  setWorkField: <K extends keyof WorkForm>(key: K, value: WorkForm[K]) => void;
  setMoratoriumField: <K extends keyof MoratoriumForm>(key: K, value: MoratoriumForm[K]) => void;
  /** Draw a new line or polygon (replacing the location once finished). */
  drawNew: (kind: DrawKind) => void;
  /** Drag the vertices of the current location; false when it has several parts. */
  editGeometry: () => boolean;
  /** Stop drawing on the map (the location drawn so far stays; an unfinished one is dropped). */
  stopDrawing: () => void;
  save: () => Promise<void>;
  cancel: () => void;
  /** Delete the open item (with undo). */
  deleteCurrent: () => Promise<void>;
  merge: { choose: (field: string, side: Side) => void; apply: () => Promise<void>; back: () => void };
  undo: UseUndo;
}

const EDITOR_ROLES = ['admin', 'analyst', 'area_manager'];

/** A single line or polygon to edit on the map: a multi-geometry of one part is unwrapped. */
export function drawable(g: EditGeometry | null): DrawnGeometry | null {
  if (!g) return null;
  if (g.type === 'LineString' || g.type === 'Polygon') return g;
  if (g.type === 'MultiLineString') {
    const [part] = g.coordinates;
    return g.coordinates.length === 1 && part ? { type: 'LineString', coordinates: part } : null;
  }
  const [polygon] = g.coordinates;
  return g.coordinates.length === 1 && polygon ? { type: 'Polygon', coordinates: polygon } : null;
}

const kindOf = (g: DrawnGeometry): DrawKind => (g.type === 'Polygon' ? 'polygon' : 'linestring');

export function useWorkEditor({ api, map, me, dispatch, onChanged, selection, snapTo }: UseWorkEditorDeps): WorkEditor {
  const workApi: WorkApi = useMemo(() => workEndpoints(api), [api]);
  const [state, setState] = useState<EditorState>({ status: 'idle' });
  const live = useRef({ state, selection, snapTo, onChanged });
  useLayoutEffect(() => {
    live.current = { state, selection, snapTo, onChanged };
  });
  /** The location before the current drawing started (or as last finished): Escape puts it back. */
  const beforeDraw = useRef<EditGeometry | null>(null);

  const setGeometry = useCallback((geometry: EditGeometry | null) => {
    setState((s) => {
      if (s.status === 'work') return { status: 'work', session: { ...s.session, form: { ...s.session.form, geometry }, serverErrors: withoutError(s.session.serverErrors, 'geometry') } };
      if (s.status === 'moratorium') return { status: 'moratorium', session: { ...s.session, form: { ...s.session.form, geometry }, serverErrors: withoutError(s.session.serverErrors, 'geometry') } };
      return s;
    });
  }, []);

  const snapGeometries = useCallback(() => {
    const { snapTo: works = [], state: s } = live.current;
    const editing = s.status === 'work' ? s.session.id : null;
    return works.filter((w) => w.properties.id !== editing).map((w) => w.geometry);
  }, []);
  const onFinish = useCallback(
    (geometry: EditGeometry) => {
      // a finished drawing is the new baseline: Escape while adjusting its points keeps it
      beforeDraw.current = geometry;
      setGeometry(geometry);
    },
    [setGeometry],
  );
  const drawing = useDrawing(map, { onFinish, onCancel: () => setGeometry(beforeDraw.current) }, snapGeometries);
  const { start: startDrawing, stop: stopDrawing } = drawing;

  const refreshDetail = useCallback(
    (kind: ItemKind, id: number, select: boolean) => {
      const sel = live.current.selection;
      const shown = sel?.kind === kind && sel.id === id;
      if (!select && !shown) return;
      // a new selection object makes the detail card fetch again
      if (shown) dispatch({ type: 'selection/clear' });
      dispatch({ type: 'selection/select', kind, id });
    },
    [dispatch],
  );

  const onUndone = useCallback(
    (kind: ItemKind, id: number, action: UndoEntry['action']) => {
      live.current.onChanged({ kind, id, action: 'undone' });
      if (action === 'created') {
        const sel = live.current.selection;
        if (sel?.kind === kind && sel.id === id) dispatch({ type: 'selection/clear' });
      } else refreshDetail(kind, id, action === 'deleted');
    },
    [dispatch, refreshDetail],
  );
  const undo = useUndo({ api: workApi, keyboard: state.status === 'idle', onUndone });
  const { push, say } = undo;

  const close = useCallback(() => {
    stopDrawing();
    setState({ status: 'idle' });
  }, [stopDrawing]);

  /** Start editing the vertices of a location; false when it cannot be edited in place. */
  const editGeometryOf = useCallback(
    (geometry: EditGeometry | null): boolean => {
      const g = drawable(geometry);
      if (!g) return false;
      beforeDraw.current = geometry;
      return startDrawing(kindOf(g), g);
    },
    [startDrawing],
  );

  const open = useCallback(
    <Form, V extends Readonly<Record<F, unknown>>, F extends string>(ops: ItemOps<Form, V, F>, id: number, wrap: (s: Session<Form, V, F>) => EditorState) => {
      stopDrawing();
      setState({ status: 'loading', kind: ops.kind, id });
      ops.load(workApi, id).then(
        (loaded) => {
          const s = live.current.state;
          if (s.status !== 'loading' || s.id !== id || s.kind !== ops.kind) return;
          setState(wrap(loadedSession(ops, loaded)));
          editGeometryOf(ops.geometryOf(ops.formOf(loaded.values)));
        },
        (err: unknown) => {
          setState({ status: 'idle' });
          say({ key: 'editErrorLoad', vars: { message: describeError(err) } });
        },
      );
    },
    [workApi, stopDrawing, editGeometryOf, say],
  );

  const owner = me?.organisation.slug ?? '';
  const startCreate = useCallback(() => {
    stopDrawing();
    beforeDraw.current = null;
    setState({ status: 'work', session: newSession(newWorkForm(owner)) });
  }, [owner, stopDrawing]);
  const startCreateMoratorium = useCallback(() => {
    stopDrawing();
    beforeDraw.current = null;
    setState({ status: 'moratorium', session: newSession(newMoratoriumForm(todayIso())) });
  }, [stopDrawing]);
  const startEdit = useCallback((id: number) => open(WORK_OPS, id, (session) => ({ status: 'work', session })), [open]);
  const startEditMoratorium = useCallback((id: number) => open(MORATORIUM_OPS, id, (session) => ({ status: 'moratorium', session })), [open]);

  const setWorkField = useCallback(<K extends keyof WorkForm>(key: K, value: WorkForm[K]) => {
    setState((s) => {
      if (s.status !== 'work') return s;
      const form = { ...s.session.form, [key]: value };
      // a work that opens the ground gets a trench of 1 m unless said otherwise
      if (key === 'opensGround' && value === true && form.trenchWidth.trim() === '') form.trenchWidth = '1';
      return { status: 'work', session: { ...s.session, form, serverErrors: withoutError(s.session.serverErrors, key) } };
    });
  }, []);
  const setMoratoriumField = useCallback(<K extends keyof MoratoriumForm>(key: K, value: MoratoriumForm[K]) => {
    setState((s) =>
      s.status === 'moratorium'
        ? { status: 'moratorium', session: { ...s.session, form: { ...s.session.form, [key]: value }, serverErrors: withoutError(s.session.serverErrors, key) } }
        : s,
    );
  }, []);

  /** What to do with the outcome of a save or a merge. */
  const settle = useCallback(
    <Form, V extends Readonly<Record<F, unknown>>, F extends string>(
      ops: ItemOps<Form, V, F>,
      outcome: SaveOutcome<Form, V, F>,
      update: (fn: (s: Session<Form, V, F>) => Session<Form, V, F>) => void,
      id: number | null,
    ) => {
      const idle = (s: Session<Form, V, F>): Session<Form, V, F> => ({ ...s, busy: false });
      switch (outcome.type) {
        case 'saved': {
          close();
          push(outcome.undo, outcome.loaded.moratoriumCreated === null ? null : 'moratoriumGeneratedToast');
          live.current.onChanged({ kind: ops.kind, id: outcome.loaded.id, action: outcome.created ? 'created' : 'updated' });
          refreshDetail(ops.kind, outcome.loaded.id, outcome.created);
          return;
        }
        case 'adopted':
          // nothing of mine is left to send: the server's version stands
          close();
          say({ key: 'mergeNoDifferences' }, false);
          if (id !== null) {
            live.current.onChanged({ kind: ops.kind, id, action: 'updated' });
            refreshDetail(ops.kind, id, false);
          }
          return;
        case 'unchanged':
          close();
          say({ key: 'editNothingChanged' }, false);
          return;
        case 'invalid':
          update((s) => {
            const merged = s.merge && outcome.form ? { form: outcome.form, base: s.merge.theirs, etag: s.merge.etag, version: s.merge.version } : {};
            return { ...idle(s), ...merged, merge: outcome.form ? null : s.merge, showErrors: true };
          });
          return;
        case 'stale':
          update((s) => ({ ...idle(s), merge: outcome.merge }));
          return;
        case 'unresolved':
          update(idle);
          return;
        case 'failed':
          update((s) => ({ ...idle(s), message: outcome.message, serverErrors: outcome.serverErrors }));
          return;
      }
    },
    [close, push, say, refreshDetail],
  );

  const updateWork = useCallback((fn: (s: WorkSession) => WorkSession) => setState((s) => (s.status === 'work' ? { status: 'work', session: fn(s.session) } : s)), []);
  const updateMoratorium = useCallback(
    (fn: (s: MoratoriumSession) => MoratoriumSession) => setState((s) => (s.status === 'moratorium' ? { status: 'moratorium', session: fn(s.session) } : s)),
    [],
  );

  const run = useCallback(
    async (step: 'save' | 'merge') => {
      const s = live.current.state;
      if ((s.status !== 'work' && s.status !== 'moratorium') || s.session.busy) return;
      const busy = <T extends { busy: boolean; showErrors: boolean; message: unknown }>(x: T): T => ({ ...x, busy: true, showErrors: true, message: null });
      if (s.status === 'work') {
        updateWork(busy);
        const session = s.session;
        const outcome = step === 'merge' && session.merge && session.id !== null
          ? await applyMerge(WORK_OPS, workApi, session.id, session.merge)
          : await saveSession(WORK_OPS, workApi, session);
        settle(WORK_OPS, outcome, updateWork, session.id);
      } else {
        updateMoratorium(busy);
        const session = s.session;
        const outcome = step === 'merge' && session.merge && session.id !== null
          ? await applyMerge(MORATORIUM_OPS, workApi, session.id, session.merge)
          : await saveSession(MORATORIUM_OPS, workApi, session);
        settle(MORATORIUM_OPS, outcome, updateMoratorium, session.id);
      }
    },
    [workApi, settle, updateWork, updateMoratorium],
  );

  const removeItem = useCallback(
    async (kind: ItemKind, id: number) => {
      const s = live.current.state;
      let known: { etag: string; label: string } | null = null;
      if (s.status === 'work' && kind === 'work' && s.session.id === id && s.session.etag && s.session.base) {
        known = { etag: s.session.etag, label: WORK_OPS.label(s.session.base, id) };
      } else if (s.status === 'moratorium' && kind === 'moratorium' && s.session.id === id && s.session.etag && s.session.base) {
        known = { etag: s.session.etag, label: MORATORIUM_OPS.label(s.session.base, id) };
      }
      const outcome = kind === 'work' ? await deleteItem(WORK_OPS, workApi, id, known) : await deleteItem(MORATORIUM_OPS, workApi, id, known);
      if (outcome.type === 'failed') {
        say(outcome.message);
        return;
      }
      if (known) close();
      push(outcome.undo);
      live.current.onChanged({ kind, id, action: 'deleted' });
      const sel = live.current.selection;
      if (sel?.kind === kind && sel.id === id) dispatch({ type: 'selection/clear' });
    },
    [workApi, close, push, say, dispatch],
  );

  const choose = useCallback((field: string, side: Side) => {
    const pickSide = <S extends { merge: { choices: Partial<Record<string, Side>> } | null }>(x: S): S =>
      x.merge ? { ...x, merge: { ...x.merge, choices: { ...x.merge.choices, [field]: side } } } : x;
    setState((s) => (s.status === 'work' ? { status: 'work', session: pickSide(s.session) } : s.status === 'moratorium' ? { status: 'moratorium', session: pickSide(s.session) } : s));
  }, []);
  const back = useCallback(() => {
    // back to the form, still based on what was loaded: the next save meets the 412 again and merges anew
    const toForm = <S extends WorkSession | MoratoriumSession>(x: S): S => (x.merge ? { ...x, merge: null } : x);
    setState((s) => (s.status === 'work' ? { status: 'work', session: toForm(s.session) } : s.status === 'moratorium' ? { status: 'moratorium', session: toForm(s.session) } : s));
  }, []);

  const canEdit = EDITOR_ROLES.includes(me?.role ?? '');
  useEffect(() => {
    // signed out (or another user): whatever was open goes
    if (canEdit) return;
    stopDrawing();
    setState((s) => (s.status === 'idle' ? s : { status: 'idle' }));
  }, [canEdit, stopDrawing]);

  const current = (): EditGeometry | null => (state.status === 'work' || state.status === 'moratorium' ? state.session.form.geometry : null);
  const drawNew = (kind: DrawKind): void => {
    beforeDraw.current = current();
    if (!startDrawing(kind, null)) say({ key: 'drawNoMap' });
  };

  return {
    state,
    canEdit,
    drawing: drawing.state.active,
    draw: { ...drawing.state, ready: drawing.ready },
    ownerName: me?.organisation.name ?? '',
    startCreate,
    startEdit,
    remove: (id) => removeItem('work', id),
    startCreateMoratorium,
    startEditMoratorium,
    removeMoratorium: (id) => removeItem('moratorium', id),
    setWorkField,
    setMoratoriumField,
    drawNew,
    editGeometry: () => editGeometryOf(current()),
    stopDrawing,
    save: () => run('save'),
    cancel: close,
    deleteCurrent: async () => {
      if ((state.status === 'work' || state.status === 'moratorium') && state.session.id !== null) await removeItem(state.status, state.session.id);
    },
    merge: { choose, apply: () => run('merge'), back },
    undo,
  };
}
