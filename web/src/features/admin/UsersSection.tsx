/**
 * The users of the administrator's organisation: per user the role and whether the account is
 * disabled (changed at once, put back when the server refuses), and a form to add a user.
 */
import { useCallback, useState, type FormEvent } from 'react';
import type { AdminUser, UserChange } from '../../api/admin-types.ts';
import { USER_ROLES } from '../../api/types.ts';
import { isUserRole } from '../../api/auth-guards.ts';
import { useI18n } from '../../i18n/context.ts';
import { roleLabel, userName } from '../auth/labels.ts';
import { invalidFields, type FormField } from './admin-errors.ts';
import { formatDay } from './admin-format.ts';
import { applyUserChange, checkNewUser, emptyUserForm, PASSWORD_MIN, type NewUserForm } from './user-form.ts';
import { focusField, useLoaded, useRunner, type SectionProps } from './use-admin.ts';
import { LoadStatus } from './LoadStatus.tsx';

const FIELD_IDS: Partial<Record<FormField, string>> = { email: 'user-add-email', displayName: 'user-add-name', password: 'user-add-password' };

function RoleOptions() {
  const { t } = useI18n();
  return USER_ROLES.map((role) => (
    <option key={role} value={role}>
      {roleLabel(t, role)}
    </option>
  ));
}

interface UserRowProps {
  user: AdminUser;
  isSelf: boolean;
  busy: boolean;
  onChange: (user: AdminUser, change: UserChange) => void;
}

function UserRow({ user, isSelf, busy, onChange }: UserRowProps) {
  const { t, language } = useI18n();
  const name = userName(user);
  return (
    <tr data-testid={`user-row-${user.id}`} data-disabled={user.disabled}>
      <th scope="row">
        <span className="admin-user-name">
          {name} {isSelf && <span className="muted">{t('userYou')}</span>}
        </span>
        {name !== user.email && <span className="muted admin-user-email">{user.email}</span>}
      </th>
      <td>
        <select
          data-testid={`user-role-${user.id}`}
          aria-label={t('userRoleLabel', { email: user.email })}
          value={user.role}
          disabled={busy}
          onChange={(e) => isUserRole(e.target.value) && onChange(user, { role: e.target.value })}
        >
          <RoleOptions />
        </select>
      </td>
      <td>
        <label className="admin-toggle">
          <input
            type="checkbox"
            data-testid={`user-disabled-${user.id}`}
            aria-label={t('userDisabledLabel', { email: user.email })}
            checked={user.disabled}
            disabled={busy}
            onChange={(e) => onChange(user, { disabled: e.target.checked })}
          />
          <span aria-hidden="true">{t(user.disabled ? 'yes' : 'no')}</span>
        </label>
      </td>
      <td>{t(user.totp ? 'userTotpOn' : 'userTotpOff')}</td>
      <td>{formatDay(language, user.createdAt)}</td>
    </tr>
  );
}

function AddUserForm({ onAdd, busy, invalid }: { onAdd: (form: NewUserForm) => Promise<boolean>; busy: boolean; invalid: ReadonlySet<FormField> }) {
  const { t } = useI18n();
  const [form, setForm] = useState<NewUserForm>(emptyUserForm);
  const onSubmit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    if (busy) return;
    void onAdd(form).then((added) => {
      if (!added) return;
      setForm(emptyUserForm);
      focusField('user-add-email');
    });
  };
  const field = (key: 'email' | 'displayName' | 'password', value: string): void => setForm({ ...form, [key]: value });
  return (
    <form className="admin-form" noValidate onSubmit={onSubmit} aria-labelledby="user-add-title">
      <h3 id="user-add-title">{t('userAddTitle')}</h3>
      <div className="admin-fields">
        <div className="admin-field admin-field-wide">
          <label htmlFor="user-add-email">{t('userEmail')}</label>
          <input id="user-add-email" type="email" autoComplete="off" data-testid="user-add-email" value={form.email} aria-invalid={invalid.has('email')} onChange={(e) => field('email', e.target.value)} />
        </div>
        <div className="admin-field admin-field-wide">
          <label htmlFor="user-add-name">{t('userDisplayName')}</label>
          <input id="user-add-name" autoComplete="off" data-testid="user-add-name" value={form.displayName} aria-invalid={invalid.has('displayName')} onChange={(e) => field('displayName', e.target.value)} />
        </div>
        <div className="admin-field">
          <label htmlFor="user-add-role">{t('userRole')}</label>
          <select id="user-add-role" data-testid="user-add-role" value={form.role} onChange={(e) => isUserRole(e.target.value) && setForm({ ...form, role: e.target.value })}>
            <RoleOptions />
          </select>
        </div>
        <div className="admin-field">
          <label htmlFor="user-add-password">{t('userPassword')}</label>
          <input
            id="user-add-password"
            type="password"
            autoComplete="new-password"
            data-testid="user-add-password"
            value={form.password}
            aria-invalid={invalid.has('password')}
            aria-describedby="user-add-password-hint"
            onChange={(e) => field('password', e.target.value)}
          />
        </div>
        <button type="submit" className="button primary" data-testid="user-add-submit" disabled={busy}>
          {busy ? t('adminBusy') : t('userAdd')}
        </button>
      </div>
      <p id="user-add-password-hint" className="muted small">
        {t('userPasswordHint', { min: PASSWORD_MIN })}
      </p>
    </form>
  );
}

export function UsersSection({ api, user: me, failure, notify }: SectionProps) {
  const { t } = useI18n();
  const load = useCallback((signal: AbortSignal) => api.getAdminUsers(signal), [api]);
  const { state, reload, update } = useLoaded(load, notify);
  const { busy, run } = useRunner(notify, reload);

  const onChange = (user: AdminUser, change: UserChange): void => {
    const before: UserChange = change.role === undefined ? { disabled: user.disabled } : { role: user.role };
    update((users) => applyUserChange(users, user.id, change));
    const message =
      change.role !== undefined
        ? t('userRoleChanged', { email: user.email, role: roleLabel(t, change.role) })
        : t(change.disabled === true ? 'userDisabledDone' : 'userEnabledDone', { email: user.email });
    void run(
      `user-${user.id}`,
      'changeUser',
      async () => {
        await api.updateUser(user.id, change);
        return message;
      },
      () => update((users) => applyUserChange(users, user.id, before)),
    );
  };

  const onAdd = async (form: NewUserForm): Promise<boolean> => {
    const checked = checkNewUser(form);
    if (!checked.ok) {
      notify.fail('createUser', { kind: 'validation', issues: checked.issues });
      focusField(FIELD_IDS[checked.issues[0]?.field ?? 'email']);
      return false;
    }
    const { email, role } = checked.value;
    const error = await run('add', 'createUser', async () => {
      await api.createUser(checked.value);
      reload();
      return t('userAdded', { email, role: roleLabel(t, role) });
    });
    if (error?.kind === 'emailTaken') focusField('user-add-email');
    return error === null;
  };

  return (
    <div className="admin-section" data-testid="admin-users">
      <p className="muted">{t('usersIntro', { organisation: me.organisation.name })}</p>
      <h3>{t('usersListTitle')}</h3>
      <LoadStatus status={state.status} reload={reload} />
      {state.status === 'ready' &&
        (state.data.length === 0 ? (
          <p className="muted">{t('usersEmpty')}</p>
        ) : (
          <div className="admin-table-wrap">
            <table className="admin-table" data-testid="user-table">
              <thead>
                <tr>
                  {(['userColUser', 'userColRole', 'userColDisabled', 'userColTotp', 'userColCreated'] as const).map((key) => (
                    <th key={key} scope="col">
                      {t(key)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {state.data.map((user) => (
                  <UserRow key={user.id} user={user} isSelf={user.id === me.id} busy={busy === `user-${user.id}`} onChange={onChange} />
                ))}
              </tbody>
            </table>
          </div>
        ))}
      <AddUserForm onAdd={onAdd} busy={busy === 'add'} invalid={invalidFields(failure, 'createUser')} />
    </div>
  );
}
