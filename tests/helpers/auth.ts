/**
 * Signed-in callers for tests. The platform denies by default, so tests that look at data sign in:
 * with a token of a real user (as scripts and QGIS do), made through the same account functions
 * the admin CLI uses. Nothing here bypasses the policy.
 */
import type { Pool } from '../../api/src/db/pool.ts';
import { createToken, ensureOrganisation, upsertUser } from '../../api/src/auth/accounts.ts';

export const TEST_PASSWORD = 'test-password-123';

/**
 * An analyst of a test organisation whose project area covers every asset in the database now,
 * so C3 data of all operators is visible to it (inside its area), as to an area manager of the
 * whole demo area. Returns a write token.
 */
export async function areaWideAnalyst(pool: Pool, email = 'tester@samenhang.test'): Promise<string> {
  await ensureOrganisation(pool, { slug: 'testers', name: 'Testorganisatie', kind: 'overig' });
  const userId = await upsertUser(pool, { org: 'testers', role: 'analyst', email, password: TEST_PASSWORD });
  await pool.query(
    `INSERT INTO area_assignment (user_id, name, geom, valid_until)
     SELECT $1, 'alles', ST_Multi(ST_Expand(ST_Extent(geom)::geometry, 10)), current_date + 30 FROM asset HAVING count(*) > 0`, [userId]);
  return (await createToken(pool, email, 'write', 'test')).token;
}

/** A user of an organisation (created when missing), with a token. */
export async function userToken(pool: Pool, o: { slug: string; name: string; kind: string; klicCode?: string }, role: string, email: string, scope: 'read' | 'write' = 'write'): Promise<string> {
  await ensureOrganisation(pool, o);
  await upsertUser(pool, { org: o.slug, role, email, password: TEST_PASSWORD });
  return (await createToken(pool, email, scope, 'test')).token;
}

/** `fetch` that sends the token of the moment as a Bearer header (shadow the global in a test file). */
export function fetchWithToken(token: () => string): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token()}`);
    return globalThis.fetch(input, { ...init, headers });
  };
}
