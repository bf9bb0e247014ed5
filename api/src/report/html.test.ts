/**
 * The report document (report/html.ts, sections.ts) from hand-made data: every text escaped, the
 * counts on the cover, the agenda built from the open points, nothing external and no script; and
 * the request's checks (http/routes/report.ts).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../model/analysis-rules.ts';
import { reportRequest } from '../http/routes/report.ts';
import type { ReportData } from './collect.ts';
import { drawTimelines, renderReport, reportCounts } from './html.ts';

const EVIL = '<img src=x onerror=alert(1)> "Dorp" & co';
const extent = { minx: 0, miny: 0, maxx: 10, maxy: 10 };
const work = (id: number, owner: string, title = `Werk ${id}`) => ({
  id, title, owner, kind: 'vervanging riool', systems: ['riool_vrijverval'], status: 'gepland', opensGround: true, earliestStart: null,
  preferredStart: '2027-03-01', preferredEnd: '2027-06-30', latestEnd: null, confidentiality: 'C1', extent,
});
const decision = { decision: 'rejected' as const, reason: 'niet <nodig>', decidedAt: '2026-10-01T10:00:00Z', organisation: 'Gemeente X', jointProjectId: null, version: 1 };

function data(): ReportData {
  return {
    area: { name: EVIL, code: 'GM0001', bbox: null, ewkb: '', extent },
    horizon: { from: '2026-11-29', to: '2031-11-29' }, today: '2026-11-29', generatedAt: new Date('2026-11-29T10:00:00Z'),
    requester: { email: 'a@b.nl', organisation: 'Gemeente <X>' },
    works: [work(1, 'Gemeente X', EVIL), work(2, 'WML'), work(3, 'Enexis')],
    moratoria: [{ id: 9, owner: 'Gemeente X', from: '2026-01-01', until: '2031-01-01', reason: 'reconstructie', exceptions: ['spoed'], extent }],
    findings: [
      { id: 'combine:1-2', type: 'combine', works: [1, 2], assets: [], moratorium: null, metrics: { distance_m: 3, gap_days: 0, shift_days: 0 }, rule: { distance_m: 20 }, decision: null },
      { id: 'clash:1-3', type: 'clash', works: [1, 3], assets: [], moratorium: null, metrics: { distance_m: 4.5, overlap_days: 30 }, rule: { distance_m: 20 }, decision: null },
      { id: 'clash:2-3', type: 'clash', works: [2, 3], assets: [], moratorium: null, metrics: { distance_m: 1, overlap_days: 5 }, rule: { distance_m: 20 }, decision },
      { id: 'moratorium:3-9', type: 'moratorium', works: [3], assets: [], moratorium: 9, metrics: { overlap_days: 12, until: '2031-01-01' }, rule: { exceptions: 'spoed' }, decision: null },
      { id: 'coupling:2-drinkwater-5', type: 'coupling', works: [2], assets: [7, 8], moratorium: null, metrics: { asset_count: 2, system: 'drinkwater', earliest_due_year: 2025, years_before_start: 2 }, rule: { distance_m: 1, years: 5 }, decision },
    ],
    bundles: [{
      id: 'bundle:1-2', works: [1, 2], findings: ['combine:1-2'], organisations: ['Gemeente X', 'WML'], commonWindow: { start: '2027-03-01', end: '2027-06-30' },
      metrics: { openings_avoided: 1, shared_trench_m: 120.5, repaving_avoided_m2: 120.5, nuisance_days_avoided: 122, saving_eur: 10243 }, decision: null,
    }],
    workLabels: new Map([[1, { title: EVIL, owner: 'Gemeente X' }], [2, { title: 'Werk 2', owner: 'WML' }], [3, { title: 'Werk 3', owner: 'Enexis' }]]),
    rules: DEFAULT_RULES,
    walks: [{
      id: 1, title: 'Schouw <centrum>', date: '2026-10-15', status: 'open',
      hotspots: [{ id: 'h1', no: 1, walkId: 1, kind: 'kans', theme: 'groen', note: '<b>boom</b>', cluster: null, x: 5, y: 5 }],
      sessions: [{ id: 4, title: 'Eerst?', status: 'open', choices: 1, labels: { h1: 'Boom <1>', h2: 'Plein' },
        ranking: { items: [
          { id: 'h1', score: 1.5, logScore: 0.4, se: 0.9, low: 0.3, high: 8, wins: 1, losses: 0, ties: 0, comparisons: 1, rank: 1 },
          { id: 'h2', score: 0.66, logScore: -0.4, se: 0.9, low: 0.1, high: 3, wins: 0, losses: 1, ties: 0, comparisons: 1, rank: 2 },
        ], comparisons: 1, iterations: 10, converged: true, method: 'BT' } }],
    }],
  };
}

describe('renderReport', () => {
  const d = data();
  const html = renderReport(d, { map: '<svg data-testid="report-map"></svg>', timelines: drawTimelines(d) });

  it('escapes every text from the data', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>boom</b>');
    expect(html).not.toContain('<centrum>');
    expect(html).toContain('Gebiedsrapport &lt;img src=x onerror=alert(1)&gt; &quot;Dorp&quot; &amp; co');
    expect(html).toContain('&lt;b&gt;boom&lt;/b&gt;');
    expect(html).toContain('“niet &lt;nodig&gt;”');
    expect(html).toContain('Boom &lt;1&gt;');
  });

  it('has no script and loads nothing from elsewhere', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<[a-z]+\s[^>]*\b(src|href)="(?!#)/i);
    expect(html).not.toMatch(/url\((?!#)/);
  });

  it('counts open clashes and breaches (a rejected clash is closed)', () => {
    expect(reportCounts(d)).toEqual({ works: 3, bundles: 1, clashes: 1, breaches: 1, couplings: 1, hotspots: 1 });
    expect(html).toMatch(/<b>1<\/b><span>bundel<\/span>/);
    expect(html).toMatch(/<b>3<\/b><span>werken<\/span>/);
  });

  it('shows the bundle\'s own metrics and the ranking with its comparisons', () => {
    expect(html).toContain('120,5 m');
    expect(html).toContain('€ 10.243');
    expect(html).toContain('1 (1/0/0)');
    expect(html).toContain('0,3 – 8');
  });

  it('puts the bundle awaiting a decision, the open clash and the breach on the agenda', () => {
    const agenda = html.slice(html.indexOf('id="agenda"'));
    expect(agenda).toContain('Besluit over bundel B1');
    expect(agenda.match(/Volgorde afspreken/g)).toHaveLength(1);
    expect(agenda).toContain('Graafrust');
    expect(agenda).toContain('Wijkschouw');
  });

  it('draws one timeline per owner', () => {
    expect(html.match(/class="owner-timeline"/g)).toHaveLength(3);
  });
});

describe('reportRequest', () => {
  it('defaults the horizon to today .. five years on', () => {
    expect(reportRequest({ area: { municipality: 'GM1641' } }, '2026-11-29')).toEqual({ area: { municipality: 'GM1641' }, from: '2026-11-29', to: '2031-11-29' });
    expect(reportRequest({ area: { bbox: [5.8, 51.1, 5.9, 51.2] }, from: '2028-02-29' }).to).toBe('2033-02-28');
  });

  it('names the field that is wrong', () => {
    const message = (body: unknown) => { try { reportRequest(body); return ''; } catch (e) { return (e as Error).message; } };
    expect(message({ area: { municipality: 'Maasgouw' } })).toMatch(/^area/);
    expect(message({ area: { municipality: 'GM1641' }, from: '2026-13-01' })).toMatch(/^from/);
    expect(message({ area: { municipality: 'GM1641' }, from: '2027-01-01', to: '2026-01-01' })).toMatch(/^to/);
    expect(message({ area: { bbox: [5.9, 51.1, 5.8, 51.2] } })).toMatch(/bbox/);
    expect(message({ area: { municipality: 'GM1641' }, colour: 'red' })).toMatch(/colour|body/);
  });
});
