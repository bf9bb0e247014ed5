/**
 * The administration panel: a modal dialog with one tab per part — the user's own API tokens for
 * everyone (administrators also turn on their second factor there); users, layers and the audit
 * log for an organisation's administrators (the server decides; this only hides what would be
 * refused). Keyboard: focus goes to the first tab when it opens, the arrow keys (and Home, End)
 * move between tabs, Tab stays inside, Escape closes, and focus returns to where it was. One line shows the outcome of the latest change.
 */
import { useLayoutEffect, useMemo, useReducer, useRef, useState, type JSX, type KeyboardEvent } from 'react';
import type { ApiClient } from '../../api/client.ts';
import type { CurrentUser } from '../../api/types.ts';
import { useI18n } from '../../i18n/context.ts';
import { ModalDialog } from '../auth/ModalDialog.tsx';
import { adminErrorText, type AdminFailure } from './admin-errors.ts';
import { adminTabs, TAB_LABELS, tabForKey, tabId, tabPanelId, type AdminTab } from './admin-tabs.ts';
import { AuditSection } from './AuditSection.tsx';
import { LayersSection } from './LayersSection.tsx';
import type { FreshSecret } from './token-form.ts';
import { TokensSection } from './TokensSection.tsx';
import { initialTotpFlow, updateTotpFlow } from './totp-setup.ts';
import { TotpSection } from './TotpSection.tsx';
import { UsersSection } from './UsersSection.tsx';
import type { Notify, SectionProps } from './use-admin.ts';
import './admin.css';

export interface AdminPanelProps {
  api: ApiClient;
  user: CurrentUser;
  onClose: () => void;
  /** Something about the signed-in account changed here (the second factor is on): read it again. */
  onAccountChanged: () => void;
}

/** The administrators' parts; the tokens part also gets the secret just created. */
const SECTIONS: Readonly<Record<Exclude<AdminTab, 'tokens'>, (props: SectionProps) => JSX.Element>> = {
  users: UsersSection,
  layers: LayersSection,
  audit: AuditSection,
};

function Section({ tab, props }: { tab: Exclude<AdminTab, 'tokens'>; props: SectionProps }) {
  const Part = SECTIONS[tab];
  return <Part {...props} />;
}

export function AdminPanel({ api, user, onClose, onAccountChanged }: AdminPanelProps) {
  const { t } = useI18n();
  const tabs = adminTabs(user.role);
  const [tab, setTab] = useState<AdminTab>('tokens');
  const [failure, setFailure] = useState<AdminFailure | null>(null);
  const [status, setStatus] = useState('');
  const [secret, setSecret] = useState<FreshSecret | null>(null);
  const [totp, totpDispatch] = useReducer(updateTotpFlow, initialTotpFlow);
  const tabButtons = useRef(new Map<AdminTab, HTMLButtonElement>());

  // Onto the first tab when it opens; back to where the user was when it closes.
  useLayoutEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    tabButtons.current.get('tokens')?.focus();
    return () => {
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  const notify = useMemo<Notify>(
    () => ({
      fail: (action, error) => {
        setStatus('');
        setFailure({ action, error });
      },
      done: (message) => {
        setFailure(null);
        setStatus(message);
      },
      clear: () => {
        setFailure(null);
        setStatus('');
      },
    }),
    [],
  );

  const select = (next: AdminTab): void => {
    if (next !== tab) notify.clear();
    setTab(next);
    tabButtons.current.get(next)?.focus();
  };

  const onTabKey = (e: KeyboardEvent<HTMLElement>): void => {
    const next = tabForKey(tabs, tab, e.key);
    if (next === null) return;
    e.preventDefault();
    select(next);
  };

  const intro = user.role === 'admin' ? t('adminIntroAdmin', { organisation: user.organisation.name }) : t('adminIntroUser');
  return (
    <ModalDialog name="admin" variant="admin" title={t('adminTitle')} intro={intro} closeLabel={t('adminClose')} testId="admin-panel" closeTestId="admin-close" data={{ 'data-tab': tab }} onClose={onClose}>
        <div className="admin-tabs" role="tablist" aria-label={t('adminTabsLabel')} onKeyDown={onTabKey}>
          {tabs.map((name) => (
            <button
              key={name}
              ref={(el) => {
                if (el) tabButtons.current.set(name, el);
                else tabButtons.current.delete(name);
              }}
              type="button"
              role="tab"
              id={tabId(name)}
              className="admin-tab"
              data-testid={`admin-tab-${name}`}
              aria-selected={name === tab}
              aria-controls={tabPanelId(name)}
              tabIndex={name === tab ? 0 : -1}
              onClick={() => select(name)}
            >
              {t(TAB_LABELS[name])}
            </button>
          ))}
        </div>
        {failure !== null && (
          <p className="import-error admin-message" role="alert" data-testid="admin-error" data-kind={failure.error.kind} data-action={failure.action}>
            {adminErrorText(t, failure)}
          </p>
        )}
        <p className={status === '' ? 'admin-status empty' : 'admin-status admin-message'} role="status" data-testid="admin-status">
          {status}
        </p>
        <div className="admin-tabpanel" role="tabpanel" id={tabPanelId(tab)} aria-labelledby={tabId(tab)}>
          {tab === 'tokens' ? (
            <>
              {user.role === 'admin' && <TotpSection api={api} user={user} notify={notify} flow={totp} dispatch={totpDispatch} onEnabled={onAccountChanged} />}
              <TokensSection api={api} user={user} failure={failure} notify={notify} secret={secret} onSecret={setSecret} />
            </>
          ) : (
            <Section tab={tab} props={{ api, user, failure, notify }} />
          )}
        </div>
    </ModalDialog>
  );
}
