// `npm start`: install what is missing, bring up PostGIS, migrate, load the demo area, build the
// web client and serve web + API from one process.
import { existsSync } from 'node:fs';
import { NODE_TS, ROOT, log, ensureNodeModules, ensureApt, runOrFail, run } from './lib/env.mjs';
import { resolveDatabaseUrl } from './lib/database.mjs';

ensureNodeModules();
if (!existsSync('/usr/bin/chromium')) ensureApt(['chromium'], 'Chromium (renders the area report as PDF)');
const databaseUrl = resolveDatabaseUrl('samenhang');
const env = { ...process.env, DATABASE_URL: databaseUrl };
runOrFail('npx', ['tsx', 'api/src/cli/setup.ts'], { env });
log('building the web client...');
runOrFail('npm', ['run', 'build', '-w', 'web', '--silent'], { env });
const port = process.env.PORT ?? '8080';
log(`PostgreSQL (voor QGIS): ${databaseUrl}`);
log(`open http://localhost:${port}/`);
process.exitCode = run(process.execPath, [...NODE_TS, 'api/src/main.ts'], { env: { ...env, PORT: port }, cwd: ROOT });
