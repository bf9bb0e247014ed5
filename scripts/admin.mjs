// `npm run admin -- <command> ...`: accounts and classification in the database `npm start` uses.
import { NODE_TS, ROOT, ensureNodeModules, run } from './lib/env.mjs';
import { resolveDatabaseUrl } from './lib/database.mjs';

ensureNodeModules();
const databaseUrl = process.env.DATABASE_URL ?? resolveDatabaseUrl('samenhang');
process.exitCode = run(process.execPath, [...NODE_TS, 'api/src/cli/admin.ts', ...process.argv.slice(2)], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } });
