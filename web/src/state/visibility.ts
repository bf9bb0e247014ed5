/** Which vital systems, and whether the planned works and the dig moratoria, are drawn. Pure updaters. */
import type { SystemCode } from '@model/systems.ts';

export interface VisibilityState {
  /** Systems not listed are visible: a new layer shows up switched on. */
  readonly hidden: readonly SystemCode[];
  readonly works: boolean;
  readonly moratoria: boolean;
}

export type VisibilityAction =
  | { type: 'visibility/toggleSystem'; system: SystemCode }
  | { type: 'visibility/setSystems'; systems: readonly SystemCode[]; visible: boolean }
  | { type: 'visibility/toggleWorks' }
  | { type: 'visibility/setWorks'; visible: boolean }
  | { type: 'visibility/toggleMoratoria' };

export const initialVisibility: VisibilityState = { hidden: [], works: true, moratoria: true };

export function isSystemVisible(state: VisibilityState, system: SystemCode): boolean {
  return !state.hidden.includes(system);
}

function setSystems(state: VisibilityState, systems: readonly SystemCode[], visible: boolean): VisibilityState {
  const rest = state.hidden.filter((code) => !systems.includes(code));
  const hidden = visible ? rest : [...rest, ...new Set(systems)];
  return { ...state, hidden };
}

export function updateVisibility(state: VisibilityState, action: VisibilityAction): VisibilityState {
  switch (action.type) {
    case 'visibility/toggleSystem':
      return setSystems(state, [action.system], !isSystemVisible(state, action.system));
    case 'visibility/setSystems':
      return setSystems(state, action.systems, action.visible);
    case 'visibility/toggleWorks':
      return { ...state, works: !state.works };
    case 'visibility/setWorks':
      return state.works === action.visible ? state : { ...state, works: action.visible };
    case 'visibility/toggleMoratoria':
      return { ...state, moratoria: !state.moratoria };
  }
}
