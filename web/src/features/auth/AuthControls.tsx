/**
 * The sign-in corner of the header: "Inloggen" (opens the dialog) for a visitor; for a signed-in
 * user their name, organisation and role, "Beheer" (the administration panel: API tokens for
 * everyone, more for administrators) and "Uitloggen". After signing in or out the keyboard focus
 * lands on the button that replaced the one just used.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { ApiClient } from '../../api/client.ts';
import type { CurrentUser } from '../../api/types.ts';
import { useI18n } from '../../i18n/context.ts';
import { AdminPanel } from '../admin/AdminPanel.tsx';
import { roleLabel, userName } from './labels.ts';
import { SignInDialog } from './SignInDialog.tsx';
import type { UseAuth } from './use-auth.ts';
import './auth.css';

interface UserMenuProps {
  user: CurrentUser;
  busy: boolean;
  adminOpen: boolean;
  onAdmin: () => void;
  onSignOut: () => void;
  signOutRef: RefObject<HTMLButtonElement | null>;
}

function UserMenu({ user, busy, adminOpen, onAdmin, onSignOut, signOutRef }: UserMenuProps) {
  const { t } = useI18n();
  const name = userName(user);
  const role = roleLabel(t, user.role);
  return (
    <div className="user-menu" data-testid="user-menu" data-role={user.role} role="group" aria-label={t('userMenuLabel', { name, role, organisation: user.organisation.name })}>
      <span className="user-menu-who">
        <span className="user-menu-name" title={user.email}>
          {name}
        </span>
        <span className="user-menu-meta">
          {user.organisation.name} · {role}
        </span>
      </span>
      <button type="button" className="header-button" data-testid="admin-open" title={t('adminOpenTitle')} aria-haspopup="dialog" aria-expanded={adminOpen} onClick={onAdmin}>
        {t('adminOpen')}
      </button>
      <button ref={signOutRef} type="button" className="header-button" data-testid="signout" disabled={busy} onClick={onSignOut}>
        {t('signout')}
      </button>
    </div>
  );
}

export function AuthControls({ auth, api }: { auth: UseAuth; api: ApiClient }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [adminOpen, setAdminOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const signInRef = useRef<HTMLButtonElement>(null);
  const signOutRef = useRef<HTMLButtonElement>(null);
  /** Set by the user's own action, so focus only moves when they caused the change. */
  const moveFocus = useRef(false);
  const { state, signIn, signOut, refresh } = auth;
  const user = state.status === 'ready' ? state.me.user : null;
  const demo = state.status === 'ready' ? (state.me.demo?.accounts ?? null) : null;

  // Once the dialog is gone and the header shows the new state.
  useEffect(() => {
    if (!moveFocus.current || open) return;
    moveFocus.current = false;
    (user ? signOutRef : signInRef).current?.focus();
  }, [user, open]);

  if (state.status === 'checking') return null;

  const onSignOut = (): void => {
    setSigningOut(true);
    moveFocus.current = true;
    void signOut().finally(() => setSigningOut(false));
  };

  return (
    <div className="auth-controls">
      {user ? (
        <UserMenu user={user} busy={signingOut} adminOpen={adminOpen} onAdmin={() => setAdminOpen(true)} onSignOut={onSignOut} signOutRef={signOutRef} />
      ) : (
        <button
          ref={signInRef}
          type="button"
          className="header-button"
          data-testid="signin-open"
          title={t('signinOpenTitle')}
          aria-haspopup="dialog"
          aria-expanded={open}
          onClick={() => setOpen(true)}
        >
          {t('signinOpen')}
        </button>
      )}
      {open && (
        <SignInDialog
          demo={demo}
          signIn={signIn}
          onSignedIn={() => {
            moveFocus.current = true;
            setOpen(false);
          }}
          onClose={() => setOpen(false)}
        />
      )}
      {adminOpen && user && <AdminPanel api={api} user={user} onClose={() => setAdminOpen(false)} onAccountChanged={() => void refresh()} />}
    </div>
  );
}
