/** How a user, a role and the demo accounts are shown. Pure. */
import type { CurrentUser, DemoAccount, UserRole } from '../../api/types.ts';
import type { MessageKey, Translate } from '../../i18n/index.ts';

const ROLE_KEYS: Readonly<Record<UserRole, MessageKey>> = {
  admin: 'roleAdmin',
  analyst: 'roleAnalyst',
  area_manager: 'roleAreaManager',
  participant: 'roleParticipant',
};

function isKnownRole(role: string): role is UserRole {
  return Object.hasOwn(ROLE_KEYS, role);
}

/** "beheerder", "analist", …; a role this client does not know is shown as it is. */
export function roleLabel(t: Translate, role: string): string {
  return isKnownRole(role) ? t(ROLE_KEYS[role]) : role;
}

/** The display name when there is one, else the email address. */
export function userName(user: Pick<CurrentUser, 'email' | 'displayName'>): string {
  const name = user.displayName?.trim() ?? '';
  return name === '' ? user.email : name;
}

/**
 * A test id per demo account: `demo-account-<role>` for the first account of each role, and
 * `demo-account-<role>-<n>` for the n-th (n ≥ 2) of the same role, so every id stays unique.
 */
export function demoAccountTestIds(accounts: readonly Pick<DemoAccount, 'role'>[]): string[] {
  const seen = new Map<string, number>();
  return accounts.map(({ role }) => {
    const n = (seen.get(role) ?? 0) + 1;
    seen.set(role, n);
    return n === 1 ? `demo-account-${role}` : `demo-account-${role}-${n}`;
  });
}
