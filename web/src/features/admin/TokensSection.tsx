/**
 * The user's own API tokens: the list (with when each was last used), a form to create one, the
 * new secret shown once with a copy button, and revoking with a confirmation step.
 */
import { Fragment, useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { ApiToken, TokenScope } from '../../api/admin-types.ts';
import { useI18n } from '../../i18n/context.ts';
import { invalidFields } from './admin-errors.ts';
import { formatDateTime } from './admin-format.ts';
import { copyText, pageClipboard } from './clipboard.ts';
import { checkNewToken, emptyTokenForm, markRevoked, scopeAllowed, tokenStatus, type FreshSecret, type NewTokenForm } from './token-form.ts';
import { focusField, useLoaded, useRunner, type SectionProps } from './use-admin.ts';
import { LoadStatus } from './LoadStatus.tsx';

type CopyState = 'idle' | 'copied' | 'failed';

function SecretBox({ secret, onDone }: { secret: FreshSecret; onDone: () => void }) {
  const { t } = useI18n();
  const [copy, setCopy] = useState<CopyState>('idle');
  const code = useRef<HTMLElement>(null);
  const copyButton = useRef<HTMLButtonElement>(null);
  useEffect(() => copyButton.current?.focus(), [secret.id]);

  const onCopy = async (): Promise<void> => {
    const ok = await copyText(secret.token, pageClipboard());
    if (!ok && code.current) window.getSelection()?.selectAllChildren(code.current);
    setCopy(ok ? 'copied' : 'failed');
  };

  return (
    <section className="admin-secret" aria-labelledby="token-secret-title" data-testid="token-secret-box">
      <h3 id="token-secret-title">{t('tokenSecretTitle', { name: secret.name })}</h3>
      <p className="import-warning" id="token-secret-warning">
        {t('tokenSecretWarning')}
      </p>
      <div className="admin-secret-row">
        <code ref={code} className="admin-secret-value" data-testid="token-secret" aria-describedby="token-secret-warning">
          {secret.token}
        </code>
        <button ref={copyButton} type="button" className="button primary" data-testid="token-copy" onClick={() => void onCopy()}>
          {t('tokenCopy')}
        </button>
      </div>
      <p className="admin-copy-status" role="status">
        {copy === 'copied' ? t('tokenCopied') : copy === 'failed' ? t('tokenCopyFailed') : ''}
      </p>
      <button type="button" className="button" data-testid="token-secret-done" onClick={onDone}>
        {t('tokenSecretDone')}
      </button>
    </section>
  );
}

function RevokeConfirm({ token, busy, onConfirm, onCancel }: { token: ApiToken; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const cancel = useRef<HTMLButtonElement>(null);
  // The safe choice first: Enter right away does not revoke.
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div className="admin-confirm" role="group" aria-labelledby={`token-revoke-question-${token.id}`}>
      <p id={`token-revoke-question-${token.id}`}>{t('tokenRevokeQuestion', { name: token.name })}</p>
      <div className="admin-confirm-actions">
        <button type="button" className="button danger" data-testid="token-revoke-confirm" disabled={busy} onClick={onConfirm}>
          {t('tokenRevokeConfirm')}
        </button>
        <button ref={cancel} type="button" className="button" data-testid="token-revoke-cancel" disabled={busy} onClick={onCancel}>
          {t('adminCancel')}
        </button>
      </div>
    </div>
  );
}

function TokenRow({ token, onRevoke }: { token: ApiToken; onRevoke: () => void }) {
  const { t, language } = useI18n();
  const status = tokenStatus(token);
  return (
    <tr data-testid={`token-row-${token.id}`} data-state={status.state}>
      <th scope="row">{token.name}</th>
      <td>
        <code>{token.prefix}…</code>
      </td>
      <td>{t(token.scope === 'write' ? 'tokenScopeWrite' : 'tokenScopeRead')}</td>
      <td>{formatDateTime(language, token.createdAt)}</td>
      <td data-testid={`token-last-used-${token.id}`}>{token.lastUsedAt === null ? t('adminNever') : formatDateTime(language, token.lastUsedAt)}</td>
      <td>
        {status.state === 'active' ? (
          <span className="admin-row-actions">
            {t('tokenActive')}
            <button
              id={`token-revoke-${token.id}`}
              type="button"
              className="button danger-outline"
              data-testid={`token-revoke-${token.id}`} aria-label={t('tokenRevokeLabel', { name: token.name })} onClick={onRevoke}>
              {t('tokenRevoke')}
            </button>
          </span>
        ) : (
          <span className="muted">{t('tokenRevokedAt', { date: formatDateTime(language, status.at) })}</span>
        )}
      </td>
    </tr>
  );
}

function TokenTable({ tokens, confirming, busy, onAsk, onConfirm, onCancel }: {
  tokens: readonly ApiToken[];
  confirming: number | null;
  busy: boolean;
  onAsk: (id: number) => void;
  onConfirm: (token: ApiToken) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  if (tokens.length === 0) return <p className="muted">{t('tokensEmpty')}</p>;
  return (
    <div className="admin-table-wrap">
      <table className="admin-table" data-testid="token-table">
        <thead>
          <tr>
            {(['tokenColName', 'tokenColPrefix', 'tokenColScope', 'tokenColCreated', 'tokenColLastUsed', 'tokenColStatus'] as const).map((key) => (
              <th key={key} scope="col">
                {t(key)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <Fragment key={token.id}>
              <TokenRow token={token} onRevoke={() => onAsk(token.id)} />
              {confirming === token.id && (
                <tr className="admin-confirm-row">
                  <td colSpan={6}>
                    <RevokeConfirm token={token} busy={busy} onConfirm={() => onConfirm(token)} onCancel={onCancel} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface TokensSectionProps extends SectionProps {
  /** The secret just created; kept by the panel, so switching tabs does not lose it. */
  secret: FreshSecret | null;
  onSecret: (secret: FreshSecret | null) => void;
}

export function TokensSection({ api, user, failure, notify, secret, onSecret }: TokensSectionProps) {
  const { t } = useI18n();
  const load = useCallback((signal: AbortSignal) => api.getTokens(signal), [api]);
  const { state, reload, update } = useLoaded(load, notify);
  const { busy, run } = useRunner(notify, reload);
  const [form, setForm] = useState<NewTokenForm>(emptyTokenForm);
  const [confirming, setConfirming] = useState<number | null>(null);
  const listTitle = useRef<HTMLHeadingElement>(null);
  const invalid = invalidFields(failure, 'createToken');

  const onCreate = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    if (busy !== null) return;
    const checked = checkNewToken(form, user.role);
    if (!checked.ok) {
      notify.fail('createToken', { kind: 'validation', issues: checked.issues });
      focusField(checked.issues[0]?.field === 'scope' ? 'token-scope' : 'token-name');
      return;
    }
    void run('create', 'createToken', async () => {
      const created = await api.createToken(checked.value);
      onSecret({ id: created.id, name: checked.value.name, token: created.token });
      setForm(emptyTokenForm);
      reload();
      return t('tokenCreated', { name: checked.value.name });
    });
  };

  const onRevoke = (token: ApiToken): void => {
    void run('revoke', 'revokeToken', async () => {
      await api.revokeToken(token.id);
      update((tokens) => markRevoked(tokens, token.id, new Date().toISOString()));
      setConfirming(null);
      listTitle.current?.focus();
      reload();
      return t('tokenRevoked', { name: token.name });
    });
  };

  return (
    <div className="admin-section" data-testid="admin-tokens">
      <p className="muted">{t('tokensIntro')}</p>
      {secret !== null && <SecretBox secret={secret} onDone={() => onSecret(null)} />}
      <form className="admin-form" noValidate onSubmit={onCreate} aria-labelledby="token-new-title">
        <h3 id="token-new-title">{t('tokenNewTitle')}</h3>
        <div className="admin-fields">
          <div className="admin-field admin-field-wide">
            <label htmlFor="token-name">{t('tokenName')}</label>
            <input
              id="token-name"
              data-testid="token-name"
              value={form.name}
              maxLength={200}
              placeholder={t('tokenNamePlaceholder')}
              aria-invalid={invalid.has('name')}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
            />
          </div>
          <div className="admin-field">
            <label htmlFor="token-scope">{t('tokenScope')}</label>
            <select
              id="token-scope"
              data-testid="token-scope"
              value={form.scope}
              aria-invalid={invalid.has('scope')}
              onChange={(e) => setForm({ ...form, scope: e.target.value === 'write' ? 'write' : 'read' })}
            >
              {(['read', 'write'] as const satisfies readonly TokenScope[]).map((scope) => (
                <option key={scope} value={scope} disabled={!scopeAllowed(user.role, scope)}>
                  {t(scope === 'read' ? 'tokenScopeRead' : scopeAllowed(user.role, scope) ? 'tokenScopeWrite' : 'tokenScopeWriteParticipant')}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button primary" data-testid="token-create" disabled={busy !== null}>
            {busy === 'create' ? t('adminBusy') : t('tokenCreate')}
          </button>
        </div>
      </form>
      <h3 ref={listTitle} tabIndex={-1}>
        {t('tokensListTitle')}
      </h3>
      <LoadStatus status={state.status} reload={reload} />
      {state.status === 'ready' && (
        <TokenTable
          tokens={state.data}
          confirming={confirming}
          busy={busy !== null}
          onAsk={(id) => {
            notify.clear();
            setConfirming(id);
          }}
          onConfirm={onRevoke}
          onCancel={() => {
            const id = confirming;
            setConfirming(null);
            if (id !== null) document.getElementById(`token-revoke-${id}`)?.focus();
          }}
        />
      )}
    </div>
  );
}
