/**
 * Keeping keyboard focus inside the open import dialog. The choice of where Tab goes is pure
 * (tested); the DOM part only lists the focusable elements.
 */

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Index to move focus to when Tab (or Shift+Tab) is pressed at `active` (-1: focus is on
 * something not in the list, e.g. the heading); null lets the browser move it (inside the list).
 */
export function trapIndex(count: number, active: number, shift: boolean): number | null {
  if (count === 0) return null;
  if (active === -1) return shift ? count - 1 : 0;
  if (shift && active === 0) return count - 1;
  if (!shift && active === count - 1) return 0;
  return null;
}

export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hidden && el.getClientRects().length > 0);
}

/** Keydown handler body for Tab; true when it moved focus itself. */
export function trapTab(root: HTMLElement, event: { key: string; shiftKey: boolean; preventDefault: () => void }): boolean {
  if (event.key !== 'Tab') return false;
  const items = focusableIn(root);
  const active = items.findIndex((el) => el === document.activeElement);
  const target = trapIndex(items.length, active, event.shiftKey);
  if (target === null) return false;
  event.preventDefault();
  items[target]?.focus();
  return true;
}
