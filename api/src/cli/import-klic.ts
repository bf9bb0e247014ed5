/** `npm run import:klic -- <delivery.zip> [...]`: import KLIC deliveries into DATABASE_URL. */
import { tenantPool } from '../db/tenant-context.ts';
import { createPool } from '../db/pool.ts';
import { workingSrid } from '../db/migrate.ts';
import { importKlicZip } from '../ingest/klic/import-klic.ts';

async function main(files: string[]): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (npm run db:url prints the local one)');
  if (files.length === 0) throw new Error('usage: npm run import:klic -- <Levering_*.zip> [...]');
  // operator tools are trusted code: the system row-security context (db/tenant-context.ts)
  const pool = tenantPool(createPool(url, 2));
  try {
    const srid = await workingSrid(pool);
    for (const file of files) {
      const r = await importKlicZip(pool, file, { srid });
      console.log(`${r.fileName}: assets new ${r.assets.new}, updated ${r.assets.updated}, unchanged ${r.assets.unchanged}; works new ${r.works.new}, updated ${r.works.updated}, unchanged ${r.works.unchanged}`);
    }
  } finally {
    await pool.end();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
