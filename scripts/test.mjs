// `npm test`: the same bootstrap as `npm start` against a separate test database, then lint,
// typecheck, unit, integration (real PostGIS) and end-to-end (real Chromium) tests.
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT, log, ensureNodeModules, ensureApt, run } from './lib/env.mjs';
import { resolveDatabaseUrl } from './lib/database.mjs';

ensureNodeModules();
if (!existsSync('/usr/bin/chromium')) ensureApt(['chromium'], 'Chromium (end-to-end tests)');
if (!existsSync('/usr/bin/ogrinfo')) ensureApt(['gdal-bin'], 'GDAL (the independent client that reads our exports in the tests)');
if (!existsSync('/usr/bin/exiftool') || !existsSync('/usr/bin/identify')) ensureApt(['libimage-exiftool-perl', 'imagemagick'], 'exiftool and ImageMagick (independent checks that stored photos have no metadata and still decode)');
if (!existsSync('/usr/bin/pdftotext')) ensureApt(['poppler-utils'], 'pdftotext (reads the area report PDF in the tests)');
if (!existsSync('/usr/sbin/nginx')) ensureApt(['nginx'], 'nginx (the balancer in front of two API processes in the scale-out test)');
const testDatabaseUrl = resolveDatabaseUrl('samenhang_test');
// names this run's set-up template databases (tests/helpers/app-process.ts setUpTemplate), dropped at the end
const testRun = Date.now().toString(36);
const env = { ...process.env, TEST_DATABASE_URL: testDatabaseUrl, DATABASE_URL: testDatabaseUrl, SAMENHANG_TEST_RUN: testRun };
const reports = path.join(ROOT, '.data', 'test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const steps = [
  ['lint', 'npx', ['eslint', '.', '--max-warnings', '0']],
  ['typecheck', 'npm', ['run', 'typecheck', '--silent']],
  ['build web', 'npm', ['run', 'build', '-w', 'web', '--silent']],
  ...['unit', 'integration', 'e2e'].map((p) => [
    `${p} tests`, 'npx',
    ['vitest', 'run', '--project', p, '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(reports, `${p}.json`)}`],
  ]),
];

const failedSteps = [];
log('── dependency audit');
const audit = run(process.execPath, [path.join(ROOT, 'scripts', 'audit.mjs')], { env });
// 3 = the registry's audit endpoint could not be reached: said plainly, not counted as a pass or a failure
const auditNote = audit === 3 ? 'dependency audit: NOT RUN (audit endpoint unreachable)' : null;
if (audit !== 0 && audit !== 3) failedSteps.push('dependency audit');
for (const [name, cmd, args] of steps) {
  log(`── ${name}`);
  if (run(cmd, args, { env }) !== 0) failedSteps.push(name);
}

await dropTemplates(testDatabaseUrl);

let passed = 0;
let failed = 0;
for (const p of ['unit', 'integration', 'e2e']) {
  const file = path.join(reports, `${p}.json`);
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  log(`${p}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
}
if (auditNote) log(auditNote);
if (failedSteps.length) log(`failed steps: ${failedSteps.join(', ')}`);
if (failedSteps.length && failed === 0) failed = failedSteps.length; // a failed lint/typecheck counts
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failedSteps.length || failed ? 1 : 0;

/** The set-up databases the end-to-end files copied (this run's and any a killed run left). */
async function dropTemplates(url) {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    const r = await c.query("SELECT datname FROM pg_database WHERE datname LIKE 'e2e\\_tmpl\\_%'");
    for (const { datname } of r.rows) {
      if (/^[a-z0-9_]+$/.test(datname)) await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  } catch (err) {
    log(`template databases not dropped: ${err.message}`);
  } finally {
    await c.end().catch(() => undefined);
  }
}
