// Dependency audit of what ships (`npm audit --omit=dev`), with a documented allow-list in
// .ci/audit-allowlist.json ({ "advisories": [{ "id": <GHSA or npm id>, "package": ..., "reason": ..., "until": "YYYY-MM-DD" }] }).
// Exit 0: no unlisted advisory of moderate or higher severity; 1: there are (listed with how to fix);
// 3: the audit could not run (the registry's audit endpoint unreachable) — reported, never taken as a pass.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, log } from './lib/env.mjs';

const allowFile = path.join(ROOT, '.ci', 'audit-allowlist.json');
const allow = JSON.parse(readFileSync(allowFile, 'utf8')).advisories ?? [];
const today = new Date().toISOString().slice(0, 10);
const r = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
let report;
try {
  report = JSON.parse(r.stdout);
} catch {
  report = null;
}
if (!report || report.error || !report.vulnerabilities) {
  const why = report?.message || report?.error?.summary || (r.stderr || '').split('\n').find((l) => l.includes('error')) || 'no answer';
  log(`dependency audit could NOT run: ${why.trim()}`);
  process.exit(3);
}
const SEVERE = new Set(['moderate', 'high', 'critical']);
const problems = [];
for (const [name, v] of Object.entries(report.vulnerabilities)) {
  if (!SEVERE.has(v.severity)) continue;
  const ids = (v.via ?? []).filter((x) => typeof x === 'object').map((x) => String(x.url ?? x.source ?? ''));
  const listed = allow.find((a) => a.package === name && a.until >= today && (ids.length === 0 || ids.some((id) => id.includes(String(a.id)))));
  if (!listed) problems.push(`${name} (${v.severity}): ${ids.join(', ') || 'via ' + (v.via ?? []).join(', ')}${v.fixAvailable ? ' — a fix is available (npm audit fix)' : ''}`);
}
if (problems.length) {
  log(`dependency audit: ${problems.length} advisory(ies) not on ${path.relative(ROOT, allowFile)}:`);
  for (const p of problems) log(`  ${p}`);
  process.exit(1);
}
log(`dependency audit: no unlisted advisory of moderate or higher severity (${allow.length} allow-listed)`);
