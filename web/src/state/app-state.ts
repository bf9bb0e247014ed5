/**
 * The whole client state and its one reducer, composed from the small
 * updaters beside this file. Map camera requests ("focus") are state too, so
 * choosing a search result is one pure transition: select + fly there.
 */
import type { SystemCode } from '@model/systems.ts';
import type { Bbox } from '../api/types.ts';
import type { Language } from '../i18n/index.ts';
import { updateLanguage, type LanguageAction } from './language.ts';
import { initialNotice, updateNotice, type Notice, type NoticeAction } from './notice.ts';
import { initialSelection, updateSelection, type Selection, type SelectionAction } from './selection.ts';
import { initialVisibility, updateVisibility, type VisibilityAction, type VisibilityState } from './visibility.ts';

/** A request to move the camera; `seq` makes a repeated request for the same box distinct. */
export type Focus = { readonly seq: number; readonly bbox: Bbox } | null;

/**
 * A request to reload the vector tiles of some systems (new features after an import); the
 * version goes into the TileJSON URL so the map fetches again. `seq` keeps requests distinct.
 */
export type TilesRevision = { readonly seq: number; readonly version: string; readonly systems: readonly SystemCode[] } | null;

export interface AppState {
  readonly language: Language;
  readonly visibility: VisibilityState;
  readonly selection: Selection;
  readonly notice: Notice;
  readonly focus: Focus;
  readonly tiles: TilesRevision;
}

export type FocusAction = { type: 'focus/bbox'; bbox: Bbox };
export type TilesAction = { type: 'tiles/refresh'; version: string; systems: readonly SystemCode[] };
/** Choosing a search result: select it, fly there, and make sure its layer is switched on. */
export type ChooseAction = {
  type: 'search/choose';
  kind: 'asset' | 'work';
  id: number;
  bbox: Bbox;
  system: SystemCode | null;
};

export type AppAction = LanguageAction | VisibilityAction | SelectionAction | NoticeAction | FocusAction | ChooseAction | TilesAction;

export function createInitialState(language: Language): AppState {
  return { language, visibility: initialVisibility, selection: initialSelection, notice: initialNotice, focus: null, tiles: null };
}

export function updateFocus(state: Focus, action: FocusAction): Focus {
  return { seq: (state?.seq ?? 0) + 1, bbox: action.bbox };
}

export function updateTiles(state: TilesRevision, action: TilesAction): TilesRevision {
  return { seq: (state?.seq ?? 0) + 1, version: action.version, systems: [...new Set(action.systems)] };
}

function showChosen(visibility: VisibilityState, action: ChooseAction): VisibilityState {
  if (action.kind === 'work') return updateVisibility(visibility, { type: 'visibility/setWorks', visible: true });
  if (action.system === null) return visibility;
  return updateVisibility(visibility, { type: 'visibility/setSystems', systems: [action.system], visible: true });
}

export function updateApp(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'language/set':
    case 'language/toggle':
      return { ...state, language: updateLanguage(state.language, action) };
    case 'visibility/toggleSystem':
    case 'visibility/setSystems':
    case 'visibility/toggleWorks':
    case 'visibility/setWorks':
    case 'visibility/toggleMoratoria':
      return { ...state, visibility: updateVisibility(state.visibility, action) };
    case 'selection/select':
    case 'selection/clear':
      return { ...state, selection: updateSelection(state.selection, action) };
    case 'notice/show':
    case 'notice/dismiss':
      return { ...state, notice: updateNotice(state.notice, action) };
    case 'focus/bbox':
      return { ...state, focus: updateFocus(state.focus, action) };
    case 'tiles/refresh':
      return { ...state, tiles: updateTiles(state.tiles, action) };
    case 'search/choose':
      return {
        ...state,
        visibility: showChosen(state.visibility, action),
        selection: updateSelection(state.selection, { type: 'selection/select', kind: action.kind, id: action.id }),
        focus: updateFocus(state.focus, { type: 'focus/bbox', bbox: action.bbox }),
      };
  }
}
