import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.ts';
import { createPool } from './db/pool.ts';
import { workingSrid } from './db/migrate.ts';
import { DEMO_ACCOUNTS } from './auth/demo.ts';
import { createApp } from './http/app.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  const config = loadConfig();
  const pool = createPool(config.databaseUrl);
  // An idle client losing its connection (database restart) must not kill the process.
  pool.on('error', (err) => console.error(`[samenhang] database connection error: ${err.message}`));
  const srid = await workingSrid(pool);
  const app = createApp({
    pool,
    workingSrid: srid,
    basemap: config.basemap,
    webDist: config.webDist ?? path.join(ROOT, 'web', 'dist'),
    demoAccounts: config.demo ? DEMO_ACCOUNTS : null,
  });
  const server = app.listen(config.port, config.host, () => {
    const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;
    console.log(`[samenhang] Samenhang draait op http://${shownHost}:${config.port}/`);
  });
  const shutdown = () => {
    server.close(() => void pool.end().then(() => process.exit(0)));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(`[samenhang] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
