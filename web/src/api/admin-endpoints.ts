/**
 * The administration endpoints of the API client: every user's own API tokens, and for an
 * organisation's administrators their own second factor (TOTP), its users, the classification and shares of its layers and its
 * audit log. Built on the client's request function, so the CSRF token goes along with every
 * change.
 */
import {
  isAdminDatasetsResponse,
  isAdminUsersResponse,
  isAuditResponse,
  isCreatedId,
  isCreatedToken,
  isTokensResponse,
  isTotpSetup,
} from './admin-guards.ts';
import type {
  AdminDataset,
  AdminUser,
  ApiToken,
  AuditEntry,
  ConfidentialityLevel,
  CreatedToken,
  NewShare,
  NewToken,
  NewUser,
  TotpSetup,
  UserChange,
} from './admin-types.ts';
import type { RequestJson } from './client.ts';

export interface AdminApi {
  /** The signed-in user's API tokens, newest first, revoked ones included. */
  getTokens(signal?: AbortSignal): Promise<ApiToken[]>;
  /** Resolves with the secret, which the server shows this once. 403 for a participant's write token. */
  createToken(token: NewToken): Promise<CreatedToken>;
  revokeToken(id: number): Promise<void>;
  /**
   * Starts the administrator's own second factor: a new secret, not yet in force (again: a new
   * one). 403 `forbidden` unless an administrator in a browser session.
   */
  setupTotp(): Promise<TotpSetup>;
  /** Puts the second factor of the last setup in force. 400 `invalid_code` when the code does not match. */
  confirmTotp(code: string): Promise<void>;
  getAdminUsers(signal?: AbortSignal): Promise<AdminUser[]>;
  /** 409 `email_taken`; 400 `invalid_body` (e.g. a password under 10 characters). */
  createUser(user: NewUser): Promise<{ id: number }>;
  /** 400 `own_account` when administrators disable or demote themselves. */
  updateUser(id: number, change: UserChange): Promise<void>;
  getAdminDatasets(signal?: AbortSignal): Promise<AdminDataset[]>;
  classifyDataset(id: number, confidentiality: ConfidentialityLevel): Promise<void>;
  addShare(datasetId: number, share: NewShare): Promise<void>;
  removeShare(shareId: number): Promise<void>;
  /** The latest entries of the organisation's audit log, newest first. */
  getAuditLog(limit: number, signal?: AbortSignal): Promise<AuditEntry[]>;
  /** Where the whole audit log downloads as CSV (a plain link: the session cookie goes along). */
  auditCsvUrl(): string;
}

/** For answers without a body worth reading (201 without one, 204). */
const anyBody = (_json: unknown): _json is unknown => true;

const idPath = (prefix: string, id: number, suffix = ''): string => `${prefix}/${encodeURIComponent(String(id))}${suffix}`;

export function adminEndpoints(requestJson: RequestJson, base: string): AdminApi {
  const get = <T>(path: string, guard: (json: unknown) => json is T, signal?: AbortSignal): Promise<T> =>
    requestJson(path, guard, signal ? { signal } : {});
  const change = async (method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<void> => {
    await requestJson(path, anyBody, body === undefined ? { method } : { method, body: JSON.stringify(body) });
  };

  return {
    getTokens: async (signal) => (await get('/api/tokens', isTokensResponse, signal)).tokens,
    createToken: (token) => requestJson('/api/tokens', isCreatedToken, { method: 'POST', body: JSON.stringify(token) }),
    revokeToken: (id) => change('DELETE', idPath('/api/tokens', id)),
    setupTotp: () => requestJson('/api/auth/totp/setup', isTotpSetup, { method: 'POST' }),
    confirmTotp: (code) => change('POST', '/api/auth/totp/confirm', { code }),
    getAdminUsers: async (signal) => (await get('/api/admin/users', isAdminUsersResponse, signal)).users,
    createUser: (user) => requestJson('/api/admin/users', isCreatedId, { method: 'POST', body: JSON.stringify(user) }),
    updateUser: (id, body) => change('PATCH', idPath('/api/admin/users', id), body),
    getAdminDatasets: async (signal) => (await get('/api/admin/datasets', isAdminDatasetsResponse, signal)).datasets,
    classifyDataset: (id, confidentiality) => change('PATCH', idPath('/api/admin/datasets', id), { confidentiality }),
    addShare: (datasetId, share) => change('POST', idPath('/api/admin/datasets', datasetId, '/shares'), share),
    removeShare: (shareId) => change('DELETE', idPath('/api/admin/shares', shareId)),
    getAuditLog: async (limit, signal) => (await get(`/api/admin/audit?limit=${Math.max(1, Math.floor(limit))}`, isAuditResponse, signal)).entries,
    auditCsvUrl: () => `${base}/api/admin/audit?format=csv`,
  };
}
