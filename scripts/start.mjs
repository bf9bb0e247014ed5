// `npm start`: install what is missing, bring up PostGIS, migrate, load the demo area, build the
// web client and serve web + API from one process.
import { existsSync } from 'node:fs';
import { NODE_TS, ROOT, log, ensureNodeModules, ensureApt, runOrFail, run } from './lib/env.mjs';
import { resolveDatabaseUrl } from './lib/database.mjs';
import { checkDurability, formatDurability } from './lib/durability.mjs';

ensureNodeModules();
if (!existsSync('/usr/bin/chromium')) ensureApt(['chromium'], 'Chromium (renders the area report as PDF)');
const databaseUrl = resolveDatabaseUrl('samenhang');
const env = { ...process.env, DATABASE_URL: databaseUrl };
// an acknowledged commit must survive a crash: said plainly when the server does not promise it
const durability = await checkDurability(databaseUrl);
log(`durability: ${formatDurability(durability.settings)}`);
for (const problem of durability.problems) log(`WARNING: ${problem} (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'the local cluster'}; see README "Backup and restore")`);
runOrFail('npx', ['tsx', 'api/src/cli/setup.ts'], { env });
log('building the web client...');
runOrFail('npm', ['run', 'build', '-w', 'web', '--silent'], { env });
const port = process.env.PORT ?? '8080';
log(`PostgreSQL (voor QGIS): ${databaseUrl}`);
log(`open http://localhost:${port}/`);
process.exitCode = run(process.execPath, [...NODE_TS, 'api/src/main.ts'], { env: { ...env, PORT: port }, cwd: ROOT });
