/** The feature whose details are open: an asset (network object), a planned work or a dig moratorium. */

export type SelectionKind = 'asset' | 'work' | 'moratorium';

export type Selection = { readonly kind: SelectionKind; readonly id: number } | null;

export type SelectionAction =
  | { type: 'selection/select'; kind: SelectionKind; id: number }
  | { type: 'selection/clear' };

export const initialSelection: Selection = null;

export function updateSelection(state: Selection, action: SelectionAction): Selection {
  switch (action.type) {
    case 'selection/select':
      if (state && state.kind === action.kind && state.id === action.id) return state;
      return { kind: action.kind, id: action.id };
    case 'selection/clear':
      return null;
  }
}

export function isSelected(state: Selection, kind: SelectionKind, id: number): boolean {
  return state !== null && state.kind === kind && state.id === id;
}
