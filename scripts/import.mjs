// `npm run import -- ... <file>`: import into the same database `npm start` uses in this checkout.
import { ROOT, ensureNodeModules } from './lib/env.mjs';
import { cliBundle } from './lib/cli-bundle.mjs';
import { resolveDatabaseUrl } from './lib/database.mjs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

ensureNodeModules();
const databaseUrl = resolveDatabaseUrl('samenhang');
// Paths are relative to where the user ran npm (npm runs scripts from the package root).
const cwd = process.env.INIT_CWD ?? process.cwd();
const args = process.argv.slice(2).map((a, i, all) => (!a.startsWith('--') && (i === 0 || !['--org', '--system', '--layer', '--invalid', '--epsg'].includes(all[i - 1] ?? '')) ? path.resolve(cwd, a) : a));
// the CLI bundled (scripts/lib/cli-bundle.mjs): the same sources, started without the TypeScript hooks
const cli = await cliBundle('api/src/cli/import.ts');
// run in this process, not a child: one Node start less per import (~50 ms). `npm run import` starts
// it with the bundle's Node options (package.json; NODE_BUNDLE in scripts/lib/env.mjs).
process.env.DATABASE_URL = databaseUrl;
process.chdir(ROOT);
process.argv = [process.execPath, cli, ...args];
await import(pathToFileURL(cli).href);
