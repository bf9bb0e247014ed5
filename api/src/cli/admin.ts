/**
 * `npm run admin -- <command> [options]`: accounts and classification from the command line, for
 * operators and scripts. Works on the database `npm start` uses (DATABASE_URL from scripts/admin.mjs).
 */
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { workingSrid } from '../db/migrate.ts';
import {
  AccountError, assignAreaFromGeoJson, assignAreaFromWorks, classifyDataset, createToken, ensureOrganisation, listUsers, revokeToken, shareDataset, upsertUser,
} from '../auth/accounts.ts';
import { asSystem, tenantPool } from '../db/tenant-context.ts';
import { createPool, type Pool } from '../db/pool.ts';

const USAGE = `usage: npm run admin -- <command> [options]
  create-org   --slug <slug> --name <name> --kind <gemeente|netbeheerder|drinkwaterbedrijf|waterschap|telecom|aannemer|overig> [--until YYYY-MM-DD]
  create-user  --org <slug> --role <admin|analyst|area_manager|participant> --email <e> --password <p>
  create-token --email <e> [--scope read|write] [--name <label>]     prints the token once
  revoke-token <id or prefix>
  list-users   [--org <slug>]
  classify     --dataset <id> --level <C0|C1|C2|C3>
  share        --dataset <id> --org <slug> --until YYYY-MM-DD
  assign-area  --email <e> --name <label> --until YYYY-MM-DD (--works <id,id,...> | --file <area.geojson>)
               a project area: where the user may see others' critical infrastructure (C3); the
               GeoJSON file holds a Polygon/MultiPolygon (geometry, Feature or first feature) in WGS84`;

type Values = Record<string, string | undefined>;

function need(v: Values, name: string): string {
  const value = v[name];
  if (value === undefined || value === '') throw new AccountError(`--${name} is required\n${USAGE}`);
  return value;
}

function dateArg(v: Values, name: string): string {
  const d = need(v, name);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new AccountError(`--${name} "${d}": use YYYY-MM-DD`);
  return d;
}

function intArg(v: Values, name: string): number {
  const n = Number(need(v, name));
  if (!Number.isInteger(n) || n <= 0) throw new AccountError(`--${name} must be a positive whole number`);
  return n;
}

async function run(pool: Pool, command: string, v: Values, rest: string[]): Promise<string> {
  switch (command) {
    case 'create-org': {
      const id = await ensureOrganisation(pool, { slug: need(v, 'slug'), name: need(v, 'name'), kind: need(v, 'kind'), activeUntil: v.until });
      return `organisation ${v.slug} (id ${id})`;
    }
    case 'create-user': {
      const id = await upsertUser(pool, { org: need(v, 'org'), role: need(v, 'role'), email: need(v, 'email'), password: need(v, 'password') });
      return `user ${v.email} (id ${id}, ${v.role} of ${v.org})`;
    }
    case 'create-token': {
      const scope = v.scope ?? 'read';
      if (scope !== 'read' && scope !== 'write') throw new AccountError('--scope is read or write');
      const t = await createToken(pool, need(v, 'email'), scope, v.name ?? 'cli');
      return `token ${t.id} (${scope}) for ${v.email} — shown once, store it now:\n${t.token}`;
    }
    case 'revoke-token': {
      const target = rest[0];
      if (!target) throw new AccountError(`give the token id or prefix\n${USAGE}`);
      await revokeToken(pool, target);
      return `token ${target} revoked`;
    }
    case 'list-users': {
      const users = await listUsers(pool, v.org);
      return users.map((u) => `${u.email.padEnd(32)} ${u.role.padEnd(13)} ${(u.slug ?? '-').padEnd(20)} ${u.organisation}${u.disabled ? ' (disabled)' : ''} tokens: ${u.tokens}`).join('\n') || '(no users)';
    }
    case 'classify': {
      const level = need(v, 'level');
      await classifyDataset(pool, intArg(v, 'dataset'), level);
      return `dataset ${v.dataset} is now ${level}`;
    }
    case 'assign-area': {
      const email = need(v, 'email');
      const name = need(v, 'name');
      const until = dateArg(v, 'until');
      if (v.works !== undefined) {
        const ids = v.works.split(',').map((x) => Number(x.trim()));
        if (ids.some((n) => !Number.isInteger(n) || n <= 0)) throw new AccountError('--works is a comma-separated list of work ids');
        await assignAreaFromWorks(pool, email, name, ids, until);
      } else {
        const file = need(v, 'file');
        const json = JSON.parse(await readFile(file, 'utf8')) as { type?: string; geometry?: unknown; features?: { geometry?: unknown }[] };
        const geometry = json.type === 'FeatureCollection' ? json.features?.[0]?.geometry : json.type === 'Feature' ? json.geometry : json;
        await assignAreaFromGeoJson(pool, email, name, geometry, until, await workingSrid(pool));
      }
      return `project area "${name}" assigned to ${email} until ${until}`;
    }
    case 'share': {
      await shareDataset(pool, intArg(v, 'dataset'), need(v, 'org'), dateArg(v, 'until'));
      return `dataset ${v.dataset} shared with ${v.org} until ${v.until}`;
    }
    default:
      throw new AccountError(`unknown command "${command}"\n${USAGE}`);
  }
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (!command || command === '--help' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: Object.fromEntries(['slug', 'name', 'kind', 'until', 'org', 'role', 'email', 'password', 'scope', 'dataset', 'level', 'works', 'file'].map((k) => [k, { type: 'string' as const }])),
  });
  const url = process.env.DATABASE_URL;
  if (!url) throw new AccountError('DATABASE_URL is not set (run through npm run admin)');
  // operator tools are trusted code: the system row-security context (db/tenant-context.ts)
  const pool = tenantPool(createPool(url, 1));
  try {
    console.log(await run(pool, command, values as Values, positionals));
    return 0;
  } finally {
    await pool.end();
  }
}

asSystem(main).then((code) => { process.exitCode = code; }, (err: unknown) => {
  console.error(`[samenhang] admin: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
