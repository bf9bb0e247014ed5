/**
 * Demo organisations and one user per role, with known passwords — for the demo database only
 * (`npm start` seeds them, prints them, and the sign-in page lists them while SAMENHANG_DEMO is on).
 *
 * The Maasgouw KLIC deliveries were requested by the excavator "FTO Grondroerder01" (a contractor);
 * their cables and pipes are critical infrastructure (C3) of WML, Enexis, KPN and the municipality.
 * So: each operator sees its own network everywhere; the municipality's area manager and the
 * contractor see everything inside the six KLIC request areas; WML's analyst sees other operators'
 * cables only inside one project area (the Julianalaan request); a participant sees no networks.
 */
import type { Pool } from '../db/pool.ts';
import { type OrgInput, assignAreaFromWorks, ensureOrganisation, upsertUser } from './accounts.ts';

export const DEMO_PASSWORD = 'samenhang-demo-2026';

export interface DemoUser {
  email: string;
  role: 'admin' | 'analyst' | 'area_manager' | 'participant';
  org: string;
  organisation: string;
  /** KLIC request works whose areas become the user's project area (matched by title) */
  areaWorks?: 'all' | 'Julianalaan';
}

const ORGS: OrgInput[] = [
  { slug: 'maasgouw', name: 'Gemeente Maasgouw', kind: 'gemeente', klicCode: 'GM1641' },
  { slug: 'wml', name: 'WML N.V.', kind: 'drinkwaterbedrijf', klicCode: 'KL1110' },
  { slug: 'enexis', name: 'Enexis B.V.', kind: 'netbeheerder', klicCode: 'KL1031' },
  { slug: 'kpn', name: 'KPN', kind: 'telecom', klicCode: 'KL1051' },
  { slug: 'grondroerder', name: 'FTO Grondroerder01', kind: 'aannemer' },
  { slug: 'bewoners-maasgouw', name: 'Bewoners Maasgouw', kind: 'overig' },
];

export const DEMO_USERS: DemoUser[] = [
  { email: 'beheerder@maasgouw.demo', role: 'admin', org: 'maasgouw', organisation: 'Gemeente Maasgouw' },
  { email: 'analist@maasgouw.demo', role: 'analyst', org: 'maasgouw', organisation: 'Gemeente Maasgouw' },
  { email: 'regisseur@maasgouw.demo', role: 'area_manager', org: 'maasgouw', organisation: 'Gemeente Maasgouw', areaWorks: 'all' },
  { email: 'analist@wml.demo', role: 'analyst', org: 'wml', organisation: 'WML N.V.', areaWorks: 'Julianalaan' },
  { email: 'analist@enexis.demo', role: 'analyst', org: 'enexis', organisation: 'Enexis B.V.' },
  { email: 'uitvoerder@grondroerder.demo', role: 'analyst', org: 'grondroerder', organisation: 'FTO Grondroerder01', areaWorks: 'all' },
  { email: 'deelnemer@bewoners.demo', role: 'participant', org: 'bewoners-maasgouw', organisation: 'Bewoners Maasgouw' },
];

/** The accounts as the sign-in page lists them. */
export const DEMO_ACCOUNTS = DEMO_USERS.map((u) => ({ email: u.email, password: DEMO_PASSWORD, role: u.role, organisation: u.organisation }));

function oneYearFromNow(): string {
  const d = new Date();
  d.setFullYear(d.getFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

/** Idempotent: organisations get their slugs, users their role and password, areas are redrawn. */
export async function seedDemo(pool: Pool): Promise<void> {
  const until = oneYearFromNow();
  for (const o of ORGS) await ensureOrganisation(pool, o.kind === 'aannemer' ? { ...o, activeUntil: until } : o);
  for (const u of DEMO_USERS) {
    const id = await upsertUser(pool, { org: u.org, role: u.role, email: u.email, password: DEMO_PASSWORD });
    await pool.query('DELETE FROM area_assignment WHERE user_id = $1', [id]);
    if (u.areaWorks === undefined) continue;
    const works = await pool.query<{ id: number }>(
      "SELECT id FROM work WHERE source_kind = 'klic' AND ($1 = 'all' OR title ILIKE '%' || $1 || '%') ORDER BY id", [u.areaWorks]);
    if (works.rows.length > 0) await assignAreaFromWorks(pool, u.email, u.areaWorks === 'all' ? 'KLIC-aanvraaggebieden Maasgouw' : `Projectgebied ${u.areaWorks}`, works.rows.map((w) => w.id), until);
  }
}
