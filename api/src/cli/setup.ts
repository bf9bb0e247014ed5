/**
 * Migrate the database and load the demo area (gemeente Maasgouw KLIC deliveries + CBS
 * municipality outlines) and, unless SAMENHANG_DEMO=0, the demo organisations and accounts and the
 * FICTIONAL demo planning (unless SAMENHANG_DEMO_PLANNING=0). Idempotent: a delivery already imported with the same content is
 * skipped, so a second `npm start` duplicates nothing.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../auth/demo.ts';
import { asSystem, tenantPool } from '../db/tenant-context.ts';
import { createPool } from '../db/pool.ts';
import { migrate, workingSrid } from '../db/migrate.ts';
import { importKlicZip } from '../ingest/klic/import-klic.ts';
import { importWorksFile } from '../ingest/works/import-works.ts';
import { loadMunicipalities, municipalityCount } from '../ingest/reference/municipalities.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const KLIC_DIR = path.join(ROOT, 'data', 'klic-maasgouw');
const MUNICIPALITIES = path.join(ROOT, 'data', 'cbs-gemeenten-2023', 'gemeenten-2023.geojson');
/** FICTIONAL works along the real networks (data/demo-planning/README.md); SAMENHANG_DEMO_PLANNING=0 leaves them out. */
const DEMO_PLANNING = path.join(ROOT, 'data', 'demo-planning', 'werken-fictief.geojson');

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  // operator tools are trusted code: the system row-security context (db/tenant-context.ts)
  const pool = tenantPool(createPool(url, 2));
  try {
    const ran = await migrate(pool, { srid: Number(process.env.WORKING_SRID ?? 28992) });
    console.log(`[samenhang] migrations: ${ran.length ? ran.join(', ') : 'up to date'}`);
    const srid = await workingSrid(pool);
    if ((await municipalityCount(pool)) === 0) {
      const n = await loadMunicipalities(pool, MUNICIPALITIES, srid);
      console.log(`[samenhang] gemeentegrenzen geladen: ${n}`);
    }
    const zips = (await readdir(KLIC_DIR)).filter((f) => f.endsWith('.zip')).sort();
    for (const [i, zip] of zips.entries()) {
      const r = await importKlicZip(pool, path.join(KLIC_DIR, zip), { srid, skipIfImported: true });
      const what = r.skipped
        ? 'al geïmporteerd'
        : `objecten nieuw ${r.assets.new}, gewijzigd ${r.assets.updated}, ongewijzigd ${r.assets.unchanged}; werken nieuw ${r.works.new}`;
      console.log(`[samenhang] KLIC ${i + 1}/${zips.length} ${zip}: ${what}`);
    }
    if (process.env.SAMENHANG_DEMO !== '0') {
      await seedDemo(pool);
      console.log(`[samenhang] demo-accounts (alleen voor de demo; wachtwoord voor allemaal: ${DEMO_PASSWORD}):`);
      for (const u of DEMO_USERS) console.log(`[samenhang]   ${u.email.padEnd(30)} ${u.role.padEnd(13)} ${u.organisation}`);
      if (process.env.SAMENHANG_DEMO_PLANNING !== '0') {
        // all or nothing, and idempotent: the works keep their ids (fictief-NNN) across runs
        const r = await importWorksFile(pool, DEMO_PLANNING, srid, { defaultOwner: null, allowedOwners: null, userId: null, orgId: null });
        console.log(`[samenhang] FICTIEVE demo-planning: ${r.read} werken (nieuw ${r.created}, bijgewerkt ${r.updated}, ongewijzigd ${r.unchanged}); graafrust gemaakt ${r.moratoriaGenerated}`);
      }
    }
  } finally {
    await pool.end();
  }
}

asSystem(main).catch((err: unknown) => {
  console.error(`[samenhang] setup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
