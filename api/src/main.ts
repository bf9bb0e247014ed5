import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.ts';
import { APP_ROLE, createAppPool, tenantPool } from './db/tenant-context.ts';
import { workingSrid } from './db/migrate.ts';
import { DEMO_ACCOUNTS } from './auth/demo.ts';
import { createApp } from './http/app.ts';
import { applyRetention } from './walks/store.ts';
import { TileCache } from './http/tile-cache.ts';
import { listenForChanges } from './db/change-listener.ts';
import { PrincipalCache } from './auth/principal-cache.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  const config = loadConfig();
  // the API acts as samenhang_app: row-level security applies to everything it reads (migration 006)
  const pool = createAppPool(config.databaseUrl);
  // An idle client losing its connection (database restart) must not kill the process.
  pool.on('error', (err) => console.error(`[samenhang] database connection error: ${err.message}`));
  const srid = await workingSrid(pool);
  const role = await pool.query<{ r: string }>('SELECT current_user AS r');
  if (role.rows[0]?.r !== APP_ROLE) throw new Error(`the API must act as ${APP_ROLE}, but acts as ${role.rows[0]?.r ?? '?'} (was the database migrated?)`);
  const tileCache = new TileCache(config.tileCacheBytes);
  const principalCache = new PrincipalCache();
  const changes = listenForChanges(config.databaseUrl, [tileCache, principalCache], (m) => console.error(`[samenhang] ${m}`));
  const app = createApp({
    pool,
    tileCache,
    principalCache,
    workingSrid: srid,
    basemap: config.basemap,
    webDist: config.webDist ?? path.join(ROOT, 'web', 'dist'),
    demoAccounts: config.demo ? DEMO_ACCOUNTS : null,
  });
  const server = app.listen(config.port, config.host, () => {
    const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;
    console.log(`[samenhang] Samenhang draait op http://${shownHost}:${config.port}/`);
  });
  // retention of walks (issue 7): personal fields go once a closed walk's term has passed; checked at start and daily
  const retention = () => void applyRetention(tenantPool(pool)).then(
    (r) => (r.hotspots || r.devices ? console.log(`[samenhang] bewaartermijn wijkschouw: ${r.hotspots} namen bij meldingen en ${r.devices} apparaatnamen verwijderd`) : undefined),
    (err: unknown) => console.error(`[samenhang] retention failed: ${err instanceof Error ? err.message : String(err)}`));
  retention();
  const daily = setInterval(retention, 24 * 3600 * 1000);
  daily.unref();
  const shutdown = () => {
    clearInterval(daily);
    server.close(() => void changes.close().then(() => pool.end()).then(() => process.exit(0)));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(`[samenhang] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
