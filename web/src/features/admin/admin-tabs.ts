/** The parts of the administration panel, who sees which, and moving between them with the keyboard. Pure. */
import type { UserRole } from '../../api/types.ts';
import type { MessageKey } from '../../i18n/index.ts';

export const ADMIN_TABS = ['tokens', 'users', 'layers', 'audit'] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

export const TAB_LABELS: Readonly<Record<AdminTab, MessageKey>> = {
  tokens: 'adminTabTokens',
  users: 'adminTabUsers',
  layers: 'adminTabLayers',
  audit: 'adminTabAudit',
};

/** Everyone manages their own API tokens; users, layers and the audit log are for administrators. */
export function adminTabs(role: UserRole): readonly AdminTab[] {
  return role === 'admin' ? ADMIN_TABS : ['tokens'];
}

/**
 * The tab a key moves to in the tab list (WAI-ARIA tabs: arrows wrap around, Home and End go to
 * the ends); null for any other key.
 */
export function tabForKey(tabs: readonly AdminTab[], current: AdminTab, key: string): AdminTab | null {
  const i = tabs.indexOf(current);
  const n = tabs.length;
  if (n === 0) return null;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return tabs[(i + 1) % n] ?? null;
    case 'ArrowLeft':
    case 'ArrowUp':
      return tabs[(i - 1 + n) % n] ?? null;
    case 'Home':
      return tabs[0] ?? null;
    case 'End':
      return tabs[n - 1] ?? null;
    default:
      return null;
  }
}

export const tabId = (tab: AdminTab): string => `admin-tab-${tab}`;
export const tabPanelId = (tab: AdminTab): string => `admin-tabpanel-${tab}`;
