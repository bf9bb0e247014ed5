/** The feature whose details are open: an asset (network object) or a planned work. */

export type Selection = { readonly kind: 'asset' | 'work'; readonly id: number } | null;

export type SelectionAction =
  | { type: 'selection/select'; kind: 'asset' | 'work'; id: number }
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

export function isSelected(state: Selection, kind: 'asset' | 'work', id: number): boolean {
  return state !== null && state.kind === kind && state.id === id;
}
