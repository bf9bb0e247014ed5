/**
 * The area report over HTTP against PostGIS and real Chromium (issue 8), on the demo area as
 * `npm run setup` loads it (the real KLIC deliveries and the FICTIONAL demo planning): the
 * municipality's area manager asks for the report of gemeente Maasgouw; it is done within the
 * issue's minute; the HTML names the area, has the bundle count the analysis API gives for the
 * same area, the open clashes and breaches, and the ranked hotspots of a wijkschouw whose pairwise
 * choices are made here through the API (the hotspots are SYNTHETIC test input); the PDF's first
 * page (pdftotext) names the area and the bundle count. A user of another organisation sees
 * neither the municipality's C2/C3 works nor its walk in their report, nor the first report.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../api/src/auth/accounts.ts';
import { ROOT } from '../helpers/app-process.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { jsonCall } from '../helpers/http.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let db: TestDatabase;
let server: TestServer;
let regisseur = '';
let wml = '';
let participant = '';
const HORIZON = { from: '2026-01-01', to: '2033-12-31' };
const SECRET = { C2: 'Vertrouwelijk C2-werk Maasbracht (test)', C3: 'Kritiek C3-werk Maasbracht (test)' };
const WALK = 'Wijkschouw Maasbracht voor het rapport (test)';
const SESSION = 'Welke hotspot eerst? (test)';
/** A place in Maasbracht inside the area manager's project area: the middle of a KLIC dig notice (as tests/e2e/analysis.test.ts). */
const AT = { lon: 0, lat: 0 };

const call = (token: string | null, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
  jsonCall(server.baseUrl, token, method, url, body, headers);
const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;

function setup(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('npx', ['tsx', 'api/src/cli/setup.ts'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`setup failed (${code}):\n${out}`))));
  });
}

interface JobView { id: string; status: string; progress: number; step: string; error?: string; ms: { html: number | null; pdf: number | null } }

/** Ask for a report and poll until it is done; answers the job, the seen steps and the wall time. */
async function makeReport(token: string, body: unknown): Promise<{ job: JobView; steps: string[]; ms: number }> {
  const started = performance.now();
  const res = await call(token, 'POST', '/api/reports', body);
  expect(res.status).toBe(202);
  let job = await json<JobView>(res);
  const steps = [job.step];
  while (job.status === 'queued' || job.status === 'running') {
    await new Promise((r) => setTimeout(r, 150));
    job = await json<JobView>(await call(token, 'GET', `/api/reports/${job.id}`));
    if (steps.at(-1) !== job.step) steps.push(job.step);
    expect(job.progress).toBeGreaterThanOrEqual(0);
    expect(job.progress).toBeLessThanOrEqual(1);
  }
  return { job, steps, ms: performance.now() - started };
}

async function planSecretWorks(): Promise<void> {
  const works = await json<{ features: { geometry: { coordinates: number[][][] }; properties: { sourceId: string } }[] }>(await call(regisseur, 'GET', '/api/works'));
  const ring = works.features.find((f) => f.properties.sourceId.endsWith('22G003179'))?.geometry.coordinates[0] ?? [];
  [AT.lon, AT.lat] = [0, 1].map((i) => ring.reduce((sum, p) => sum + (p[i] ?? 0), 0) / ring.length) as [number, number];
  for (const [level, title] of Object.entries(SECRET)) {
    const res = await call(regisseur, 'POST', '/api/works', {
      title, kind: 'vervanging riool', systems: ['riool_vrijverval'], confidentiality: level, preferredStart: '2028-03-01', preferredEnd: '2028-06-30',
      geometry: { type: 'LineString', coordinates: [[AT.lon - 0.0005, AT.lat], [AT.lon + 0.0005, AT.lat]] },
    });
    expect(res.status, await res.clone().text()).toBe(201);
  }
}

/** A walk with three published hotspots and a pairwise session in which the first always wins. */
async function walkWithRanking(): Promise<{ labels: string[] }> {
  const walk = await json<{ id: number; code: string }>(await call(regisseur, 'POST', '/api/walks', { title: WALK, date: '2026-11-20' }));
  const join = await json<{ token: string }>(await call(null, 'POST', '/api/walk-join', { code: walk.code }));
  const labels = ['Boom bij de school', 'Losliggende stoeptegels', 'Wateroverlast bij het plein'];
  const ids: string[] = [];
  for (const [i, note] of labels.entries()) {
    const id = randomUUID();
    const posted = await call(null, 'POST', '/api/walk/hotspots', {
      id, kind: i === 1 ? 'knelpunt' : 'kans', theme: i === 2 ? 'water en klimaatadaptatie' : 'groen', note,
      lon: AT.lon + i * 0.0004, lat: AT.lat + 0.0002, accuracy: 5, observedAt: new Date().toISOString(),
    }, { 'x-walk-device': join.token });
    expect(posted.status).toBe(201);
    const published = await call(regisseur, 'PATCH', `/api/hotspots/${id}`, { status: 'published' }, { 'if-match': `"hotspot-${id}-v1"` });
    expect(published.status).toBe(200);
    ids.push(id);
  }
  const session = await json<{ session: { id: number } }>(await call(regisseur, 'POST', `/api/walks/${walk.id}/pairwise`, {
    title: SESSION, items: ids.map((id, i) => ({ id, label: labels[i] })),
  }));
  const choices: [number, number][] = [[0, 1], [0, 2], [1, 2], [0, 1], [0, 2]];
  for (const [a, b] of choices) {
    const res = await call(regisseur, 'POST', `/api/pairwise/${session.session.id}/choices`, { id: randomUUID(), a: ids[a], b: ids[b], choice: 'a' });
    expect(res.status).toBe(201);
  }
  return { labels };
}

let report: { job: JobView; steps: string[]; ms: number };
let html = '';
let bundles = 0;
let labels: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('it_report');
  await setup(db.url);
  server = await startTestServer(db.pool);
  regisseur = (await createToken(db.pool, 'regisseur@maasgouw.demo', 'write', 'test')).token;
  wml = (await createToken(db.pool, 'analist@wml.demo', 'write', 'test')).token;
  participant = (await createToken(db.pool, 'deelnemer@bewoners.demo', 'write', 'test')).token;
  await planSecretWorks();
  ({ labels } = await walkWithRanking());
  report = await makeReport(regisseur, { area: { municipality: 'GM1641' }, ...HORIZON });
  if (report.job.status === 'done') html = await (await call(regisseur, 'GET', `/api/reports/${report.job.id}/report.html`)).text();
  bundles = (await json<{ bundles: unknown[] }>(await call(regisseur, 'GET', '/api/analysis/bundles?area=GM1641'))).bundles.length;
}, 240_000);

afterAll(async () => {
  await server?.close();
  await db?.drop();
});

describe('the area report of gemeente Maasgouw', () => {
  it('is made within a minute, through the steps, with progress to the end', () => {
    expect(report.job.status, report.job.error).toBe('done');
    expect(report.job.progress).toBe(1);
    expect(report.ms).toBeLessThan(60_000);
    expect(report.steps.at(-1)).toBe('Klaar');
    console.log(`[report] wall ${Math.round(report.ms)} ms; HTML ready after ${report.job.ms.html} ms, PDF after ${report.job.ms.pdf} ms; steps: ${report.steps.join(' → ')}`);
  });

  it('names the area and has the bundle count of /api/analysis/bundles for the same area', () => {
    expect(bundles).toBeGreaterThan(0);
    expect(html).toContain('Gebiedsrapport Maasgouw');
    expect(html).toContain(`<b>${bundles}</b><span>${bundles === 1 ? 'bundel' : 'bundels'}</span>`);
    expect(html.match(/<article class="card bundle"/g)).toHaveLength(bundles);
    expect(html).toContain('data-testid="report-map"');
    expect(html).not.toMatch(/<script/i);
  });

  it('lists the open clashes and moratorium breaches the analysis finds', async () => {
    const { findings } = await json<{ findings: { type: string; works: number[]; decision: { decision: string } | null }[] }>(
      await call(regisseur, 'GET', '/api/analysis/findings?area=GM1641'));
    const open = (t: string) => findings.filter((f) => f.type === t && f.decision?.decision !== 'rejected');
    expect(open('clash').length).toBeGreaterThan(0);
    expect(open('moratorium').length).toBeGreaterThan(0);
    expect(html).toContain(`<h3>Botsingen (${open('clash').length})</h3>`);
    expect(html).toContain(`<h3>Graafrust geschonden (${open('moratorium').length})</h3>`);
    for (const f of open('clash')) expect(html).toContain(`#${f.works[0]})`);
    expect(html.slice(html.indexOf('id="agenda"'))).toContain('Volgorde afspreken');
  });

  it('ranks the hotspots of the walk from the pairwise choices, with the number of comparisons', () => {
    expect(html).toContain(WALK);
    const ranking = html.slice(html.indexOf(SESSION));
    expect(ranking).toContain('(5 keuzes, open)');
    // the first always won, the second beat the third once: that order, with 4, 4 and 2 comparisons
    const order = labels.map((l) => ranking.indexOf(l));
    expect(order[0]).toBeLessThan(order[1] ?? 0);
    expect(order[1]).toBeLessThan(order[2] ?? 0);
    expect(ranking).toMatch(/<td>1<\/td><td><span class="tag small">H\d+<\/span> Boom bij de school<\/td><td>[\d,]+<\/td><td>[\d,]+ – [\d,]+<\/td><td>4 \(4\/0\/0\)<\/td>/);
  });

  it('renders a PDF whose first page names the area and the bundle count', async () => {
    const res = await call(regisseur, 'GET', `/api/reports/${report.job.id}/report.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'samenhang-report-')), 'rapport.pdf');
    writeFileSync(file, pdf);
    const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-']).toString().replace(/\s+/g, ' ');
    expect(first).toContain('Gebiedsrapport Maasgouw');
    expect(first).toContain(`${bundles} ${bundles === 1 ? 'bundel' : 'bundels'}`);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString())?.[1]);
    expect(pages).toBeGreaterThan(5);
  });

  it('contains the municipality\'s own C2 and C3 works', () => {
    expect(html).toContain(SECRET.C2);
    expect(html).toContain(SECRET.C3);
  });
});

describe('access', () => {
  it('a user of another organisation sees neither C2/C3 works nor the walk of the municipality', async () => {
    const other = await makeReport(wml, { area: { municipality: 'GM1641' }, ...HORIZON });
    expect(other.job.status).toBe('done');
    const text = await (await call(wml, 'GET', `/api/reports/${other.job.id}/report.html`)).text();
    expect(text).toContain('Gebiedsrapport Maasgouw');
    expect(text).toContain('WML N.V.');
    expect(text).not.toContain(SECRET.C2);
    expect(text).not.toContain(SECRET.C3);
    expect(text).not.toContain(WALK);
    expect(text).toContain('analist@wml.demo');
  });

  it('a report belongs to whoever asked for it: others get 404', async () => {
    for (const url of ['', '/report.html', '/report.pdf']) {
      expect((await call(wml, 'GET', `/api/reports/${report.job.id}${url}`)).status).toBe(404);
    }
    expect((await call(null, 'GET', `/api/reports/${report.job.id}`)).status).toBe(401);
  });

  it('is for partners: anonymous 401, a participant 403', async () => {
    expect((await call(null, 'POST', '/api/reports', { area: { municipality: 'GM1641' } })).status).toBe(401);
    expect((await call(participant, 'POST', '/api/reports', { area: { municipality: 'GM1641' } })).status).toBe(403);
  });

  it('names the wrong field', async () => {
    const bad = async (body: unknown) => (await json<{ error: { message: string } }>(await call(regisseur, 'POST', '/api/reports', body))).error.message;
    expect(await bad({ area: { municipality: 'GM9999' } })).toMatch(/^area\.municipality/);
    expect(await bad({ area: { municipality: 'GM1641' }, from: '2030-01-01', to: '2029-01-01' })).toMatch(/^to/);
    expect(await bad({ area: 'Maasgouw' })).toMatch(/^area/);
  });

  it('lists the municipalities with works for the dialog', async () => {
    const { areas } = await json<{ areas: { code: string; name: string; works: number }[] }>(await call(regisseur, 'GET', '/api/reports/areas'));
    expect(areas.find((a) => a.code === 'GM1641')?.works).toBeGreaterThanOrEqual(40);
  });
});
