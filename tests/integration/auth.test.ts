/**
 * Accounts over HTTP against the real API and PostGIS: sign-in with the session cookie a browser
 * gets, CSRF on unsafe methods, sign-out, brute-force limits, API tokens (scopes, revocation),
 * password reset, TOTP for admins, security headers, and what the audit log records.
 */
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, ensureOrganisation, revokeToken, upsertUser } from '../../api/src/auth/accounts.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { TEST_PASSWORD } from '../helpers/auth.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let db: TestDatabase;
let server: TestServer;
const EMAIL = 'analist@auth.test';
const ADMIN = 'beheerder@auth.test';

beforeAll(async () => {
  db = await createTestDatabase('it_auth');
  server = await startTestServer(db.pool);
  await ensureOrganisation(db.pool, { slug: 'gem-auth', name: 'Gemeente Auth', kind: 'gemeente' });
  await upsertUser(db.pool, { org: 'gem-auth', role: 'analyst', email: EMAIL, password: TEST_PASSWORD });
  await upsertUser(db.pool, { org: 'gem-auth', role: 'admin', email: ADMIN, password: TEST_PASSWORD });
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

async function login(email: string, password: string, extra: Record<string, string> = {}, ip?: string): Promise<Response> {
  return fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...(ip ? { 'x-forwarded-for': ip } : {}) },
    body: JSON.stringify({ email, password, ...extra }),
  });
}

function cookieOf(res: Response): string {
  const set = res.headers.get('set-cookie') ?? '';
  return set.split(';')[0] ?? '';
}

async function audit(action: string): Promise<{ result: string; object_id: string | null }[]> {
  return (await db.pool.query<{ result: string; object_id: string | null }>('SELECT result, object_id FROM audit_log WHERE action = $1 ORDER BY id', [action])).rows;
}

describe('sign-in with a session cookie', () => {
  it('sets an HttpOnly SameSite cookie and answers who is signed in with a CSRF token', async () => {
    const res = await login(EMAIL, TEST_PASSWORD);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^samenhang_session=[\w-]{40,};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const body = (await res.json()) as { user: { email: string; role: string; organisation: { slug: string } }; csrfToken: string };
    expect(body.user).toMatchObject({ email: EMAIL, role: 'analyst', organisation: { slug: 'gem-auth' } });
    expect(body.csrfToken.length).toBeGreaterThan(30);
    const me = (await (await fetch(`${server.baseUrl}/api/auth/me`, { headers: { cookie: cookieOf(res) } })).json()) as { user: { email: string } };
    expect(me.user.email).toBe(EMAIL);
    // the database holds only a digest of the session id
    const stored = await db.pool.query<{ id_hash: string }>('SELECT id_hash FROM user_session');
    expect(stored.rows.map((r) => r.id_hash)).not.toContain(cookieOf(res).split('=')[1]);
  });

  it('refuses an unsafe request without the CSRF header, and signs out with it', async () => {
    const res = await login(EMAIL, TEST_PASSWORD);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const cookie = cookieOf(res);
    const without = await fetch(`${server.baseUrl}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(without.status).toBe(403);
    expect(((await without.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    const out = await fetch(`${server.baseUrl}/api/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(out.status).toBe(204);
    const me = (await (await fetch(`${server.baseUrl}/api/auth/me`, { headers: { cookie } })).json()) as { user: unknown };
    expect(me.user).toBeNull();
  });

  it('says nothing about whether an account exists, and logs the failure without the password', async () => {
    const wrong = await login(EMAIL, 'wrong-password!', {}, '10.0.0.1');
    const unknown = await login('niemand@auth.test', 'wrong-password!', {}, '10.0.0.1');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    const [a, b] = (await Promise.all([wrong.json(), unknown.json()])) as { error: { message: string } }[];
    expect(a?.error.message).toBe(b?.error.message);
    const failed = await audit('login');
    expect(failed.filter((r) => r.result === 'failed').map((r) => r.object_id)).toEqual(expect.arrayContaining([EMAIL, 'niemand@auth.test']));
    const text = JSON.stringify((await db.pool.query('SELECT * FROM audit_log')).rows);
    expect(text).not.toContain('wrong-password!');
    expect(text).not.toContain(TEST_PASSWORD);
  });

  it('locks an account out after 5 failures with 429 and Retry-After, even with the right password', async () => {
    const victim = 'slot@auth.test';
    await upsertUser(db.pool, { org: 'gem-auth', role: 'analyst', email: victim, password: TEST_PASSWORD });
    for (let i = 0; i < 5; i++) expect((await login(victim, `guess-${i}-xxxxx`, {}, `10.0.1.${i}`)).status).toBe(401);
    const locked = await login(victim, TEST_PASSWORD, {}, '10.0.2.1');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await locked.json()) as { error: { code: string } }).error.code).toBe('too_many_attempts');
  });
});

describe('API tokens', () => {
  it('a read token reads but cannot import; a revoked token is refused', async () => {
    const { id, token } = await createToken(db.pool, EMAIL, 'read', 'qgis');
    const auth = { authorization: `Bearer ${token}` };
    expect((await fetch(`${server.baseUrl}/api/layers`, { headers: auth })).status).toBe(200);
    const upload = await fetch(`${server.baseUrl}/api/imports?name=x.geojson`, { method: 'POST', headers: auth, body: '{}' });
    expect(upload.status).toBe(403);
    const stored = await db.pool.query<{ token_hash: string }>('SELECT token_hash FROM api_token WHERE id = $1', [id]);
    expect(stored.rows[0]?.token_hash).not.toBe(token);
    await revokeToken(db.pool, String(id));
    const after = await fetch(`${server.baseUrl}/api/layers`, { headers: auth });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe('invalid_token');
  });

  it('a malformed Authorization header is a 401, not a silent anonymous request', async () => {
    expect((await fetch(`${server.baseUrl}/api/layers`, { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });
});

describe('password reset and second factor', () => {
  it('resets a password with the token from the log; old sessions end', async () => {
    const logged: string[] = [];
    const s = await startTestServer(db.pool, null, (m) => logged.push(m));
    try {
      const req = await fetch(`${s.baseUrl}/api/auth/password-reset/request`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL }) });
      expect(req.status).toBe(202);
      const token = /"token":"(reset_[\w-]+)"/.exec(logged.join('\n'))?.[1];
      expect(token).toBeDefined();
      const ok = await fetch(`${s.baseUrl}/api/auth/password-reset/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password: 'een-nieuw-wachtwoord' }) });
      expect(ok.status).toBe(204);
      expect((await login(EMAIL, 'een-nieuw-wachtwoord')).status).toBe(200);
      const again = await fetch(`${s.baseUrl}/api/auth/password-reset/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password: 'nog-een-wachtwoord' }) });
      expect(again.status).toBe(400);
      expect((await db.pool.query('SELECT count(*)::int AS n FROM user_session s JOIN app_user u ON u.id = s.user_id WHERE u.email = $1 AND s.created_at < now() - interval \'1 second\'', [EMAIL])).rows[0]).toEqual({ n: 0 });
    } finally {
      await s.close();
    }
  });

  it('an admin turns on TOTP; sign-in then needs the 6-digit code', async () => {
    const res = await login(ADMIN, TEST_PASSWORD);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const headers = { cookie: cookieOf(res), 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
    const setup = (await (await fetch(`${server.baseUrl}/api/auth/totp/setup`, { method: 'POST', headers })).json()) as { secret: string; uri: string };
    expect(setup.uri).toMatch(/^otpauth:\/\/totp\//);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.secret), digits: 6, period: 30, algorithm: 'SHA1' });
    const confirmCode = totp.generate();
    expect((await fetch(`${server.baseUrl}/api/auth/totp/confirm`, { method: 'POST', headers, body: JSON.stringify({ code: confirmCode }) })).status).toBe(204);
    const first = await login(ADMIN, TEST_PASSWORD);
    expect(first.status).toBe(401);
    expect(((await first.json()) as { error: { code: string } }).error.code).toBe('totp_required');
    // a code is accepted once: the one used to confirm cannot sign in; the next step's code can, once
    const used = await login(ADMIN, TEST_PASSWORD, { totp: confirmCode });
    expect(used.status).toBe(401);
    const next = totp.generate({ timestamp: Date.now() + 30_000 });
    expect((await login(ADMIN, TEST_PASSWORD, { totp: next })).status).toBe(200);
    expect((await login(ADMIN, TEST_PASSWORD, { totp: next })).status).toBe(401);
  });
});

describe('hardening', () => {
  it('sends a CSP without inline script and the other security headers', async () => {
    const res = await fetch(`${server.baseUrl}/api/health`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("worker-src 'self' blob:");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('login only takes JSON (a cross-site form cannot post it)', async () => {
    const res = await fetch(`${server.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `email=${EMAIL}&password=x` });
    expect(res.status).toBe(415);
  });
});

describe('administration of the own organisation', () => {
  async function session(email: string, password = TEST_PASSWORD): Promise<Record<string, string>> {
    const res = await login(email, password);
    expect(res.status).toBe(200);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return { cookie: cookieOf(res), 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
  }

  it('an admin adds a user to the own organisation, changes a role and disables an account; an analyst may not', async () => {
    await ensureOrganisation(db.pool, { slug: 'ander', name: 'Andere organisatie', kind: 'telecom' });
    const boss = 'baas@admin.test';
    await upsertUser(db.pool, { org: 'gem-auth', role: 'admin', email: boss, password: TEST_PASSWORD });
    const headers = await session(boss);
    const created = await fetch(`${server.baseUrl}/api/admin/users`, { method: 'POST', headers, body: JSON.stringify({ email: 'nieuw@admin.test', role: 'analyst', password: 'lang-genoeg-wachtwoord' }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const list = (await (await fetch(`${server.baseUrl}/api/admin/users`, { headers })).json()) as { users: { email: string }[] };
    expect(list.users.map((u) => u.email)).toContain('nieuw@admin.test');
    expect(list.users.every((u) => !u.email.includes('ander'))).toBe(true);
    expect((await fetch(`${server.baseUrl}/api/admin/users/${id}`, { method: 'PATCH', headers, body: JSON.stringify({ role: 'area_manager', disabled: true }) })).status).toBe(204);
    expect((await login('nieuw@admin.test', 'lang-genoeg-wachtwoord')).status).toBe(401);
    // a user of another organisation is not found for this admin
    const other = await upsertUser(db.pool, { org: 'ander', role: 'analyst', email: 'iemand@ander.test', password: TEST_PASSWORD });
    expect((await fetch(`${server.baseUrl}/api/admin/users/${other}`, { method: 'PATCH', headers, body: JSON.stringify({ disabled: true }) })).status).toBe(404);
    const analyst = await session('iemand@ander.test');
    expect((await fetch(`${server.baseUrl}/api/admin/users`, { headers: analyst })).status).toBe(403);
    const log = await audit('user_created');
    expect(log.map((r) => r.object_id)).toContain(String(id));
  });

  it('a user makes and revokes an API token from a session; the secret is shown once', async () => {
    const h = await session('iemand@ander.test');
    const made = await fetch(`${server.baseUrl}/api/tokens`, { method: 'POST', headers: h, body: JSON.stringify({ name: 'QGIS', scope: 'read' }) });
    expect(made.status).toBe(201);
    const { id, token } = (await made.json()) as { id: number; token: string };
    expect((await fetch(`${server.baseUrl}/api/layers`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const listed = (await (await fetch(`${server.baseUrl}/api/tokens`, { headers: h })).json()) as { tokens: Record<string, unknown>[] };
    expect(JSON.stringify(listed)).not.toContain(token);
    expect((await fetch(`${server.baseUrl}/api/tokens/${id}`, { method: 'DELETE', headers: h })).status).toBe(204);
    expect((await fetch(`${server.baseUrl}/api/layers`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});

describe('denials are audited', () => {
  it('a refused request is logged with who, what and the reason code', async () => {
    const { token } = await createToken(db.pool, 'iemand@ander.test', 'read', 'audit');
    const res = await fetch(`${server.baseUrl}/api/admin/users`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
    // the entry is written beside the answer: wait for it a moment
    await expect.poll(async () => (await db.pool.query<{ object_id: string; result: string; detail: { code: string } }>(
      "SELECT object_id, result, detail FROM audit_log WHERE action = 'denied' AND object_id = 'GET /api/admin/users'")).rows[0])
      .toMatchObject({ object_id: 'GET /api/admin/users', result: 'denied', detail: { code: 'forbidden' } });
  });
});

describe('export quota', () => {
  it('a user past the daily export quota gets 429 with Retry-After', async () => {
    const { EXPORT_QUOTA } = await import('../../api/src/http/routes/datasets.ts');
    const { token } = await createToken(db.pool, 'iemand@ander.test', 'read', 'quota');
    const auth = { authorization: `Bearer ${token}` };
    for (let i = 0; i < EXPORT_QUOTA; i++) {
      const ok = await fetch(`${server.baseUrl}/api/layers/gas_ld/export?format=csv`, { headers: auth });
      await ok.arrayBuffer();
      expect(ok.status).toBe(200);
    }
    const over = await fetch(`${server.baseUrl}/api/layers/gas_ld/export?format=csv`, { headers: auth });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('export_quota');
  });
});
