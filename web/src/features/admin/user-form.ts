/** The users part as pure functions: the add-user form check and applying a change to the list. */
import type { AdminUser, NewUser, UserChange } from '../../api/admin-types.ts';
import type { UserRole } from '../../api/types.ts';
import type { Checked, FormIssue } from './admin-errors.ts';

/** The API's minimum (MIN_PASSWORD_LENGTH); checked here first for a quicker answer. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 1000;
export const EMAIL_MAX = 320;
export const DISPLAY_NAME_MAX = 200;

export interface NewUserForm {
  readonly email: string;
  readonly displayName: string;
  readonly role: UserRole;
  readonly password: string;
}

/** A new account gets the fewest rights unless the administrator chooses otherwise. */
export const emptyUserForm: NewUserForm = { email: '', displayName: '', role: 'participant', password: '' };

/** The same rule as the API and the database: something, an @, something, no spaces. */
const EMAIL = /^[^@\s]+@[^@\s]+$/;

function emailIssues(email: string): FormIssue[] {
  if (email === '') return [{ field: 'email', problem: 'required' }];
  if (!EMAIL.test(email)) return [{ field: 'email', problem: 'email' }];
  if (email.length > EMAIL_MAX) return [{ field: 'email', problem: 'tooLong', limit: EMAIL_MAX }];
  return [];
}

function passwordIssues(password: string): FormIssue[] {
  if (password === '') return [{ field: 'password', problem: 'required' }];
  if (password.length < PASSWORD_MIN) return [{ field: 'password', problem: 'tooShort', limit: PASSWORD_MIN }];
  if (password.length > PASSWORD_MAX) return [{ field: 'password', problem: 'tooLong', limit: PASSWORD_MAX }];
  return [];
}

/** The request to send (email and name trimmed, an empty name left out), or what to fix first. */
export function checkNewUser(form: NewUserForm): Checked<NewUser> {
  const email = form.email.trim();
  const displayName = form.displayName.trim();
  const issues = [...emailIssues(email), ...passwordIssues(form.password)];
  if (displayName.length > DISPLAY_NAME_MAX) issues.push({ field: 'displayName', problem: 'tooLong', limit: DISPLAY_NAME_MAX });
  if (issues.length > 0) return { ok: false, issues };
  const user: NewUser = { email, role: form.role, password: form.password };
  if (displayName !== '') user.displayName = displayName;
  return { ok: true, value: user };
}

/** The list after the server accepted `change` for user `id`. */
export function applyUserChange(users: readonly AdminUser[], id: number, change: UserChange): AdminUser[] {
  return users.map((user) => (user.id === id ? { ...user, ...change } : user));
}
