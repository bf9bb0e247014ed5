/**
 * The content sections of the area report (issue 8), in Dutch: bundles with their metrics and
 * decisions, open clashes and moratorium breaches (and repeat openings) explained, couplings, the
 * wijkschouw's ranked and published hotspots, and the rule parameters. Every number is one the
 * analysis computed (analysis/bundles.ts, model/analysis/finding.ts) or the pairwise ranking
 * (model/ranking.ts) gave; nothing is estimated here. All text is escaped (esc).
 */
import type { Decision, StoredFinding } from '../analysis/read.ts';
import { getSystem, isSystemCode } from '../model/systems.ts';
import { escapeHtml as esc } from '../ogc/html.ts';
import type { ReportData, ReportWalk } from './collect.ts';
import { HOTSPOT_COLOURS } from './map.ts';

export const num = (v: unknown, digits = 1): string =>
  typeof v === 'number' && Number.isFinite(v) ? new Intl.NumberFormat('nl-NL', { maximumFractionDigits: digits }).format(v) : '?';
export const longDate = (iso: string): string =>
  new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));
export const shortDate = (iso: string | null): string => (iso ? `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}` : '—');
export const systemLabel = (code: unknown): string => (isSystemCode(code) ? getSystem(code).labelNl.toLowerCase() : String(code ?? '?'));

/** Undecided or not dismissed: still on the table. */
export const isOpen = (f: { decision: Decision | null }): boolean => f.decision?.decision !== 'rejected';
/** Bundles without a decision, or deferred. */
export const awaitsDecision = (b: { decision: Decision | null }): boolean => b.decision === null || b.decision.decision === 'deferred';

export const DECISION_NL: Record<Decision['decision'], string> = { accepted: 'Geaccepteerd', rejected: 'Afgewezen', deferred: 'Uitgesteld' };

export function decisionText(d: Decision | null): string {
  if (!d) return '<span class="pill open">nog geen besluit</span>';
  const who = d.organisation ? ` door ${esc(d.organisation)}` : '';
  const project = d.jointProjectId === null ? '' : `; gezamenlijk project #${d.jointProjectId}`;
  return `<span class="pill ${d.decision}">${DECISION_NL[d.decision]}</span>${who} op ${shortDate(String(d.decidedAt))}${d.reason ? ` — “${esc(d.reason)}”` : ''}${project}`;
}

export type Labels = ReportData['workLabels'];
export const workName = (labels: Labels, id: number | undefined): string => {
  const l = id === undefined ? undefined : labels.get(id);
  return l ? `“${esc(l.title)}” <span class="muted">(${esc(l.owner ?? '?')}, #${id})</span>` : `werk #${id ?? '?'}`;
};

/** One sentence per finding: what, where, how much, and the rule. */
export function explain(f: StoredFinding, data: Pick<ReportData, 'workLabels' | 'moratoria'>): string {
  const m = f.metrics;
  const [a, b] = [workName(data.workLabels, f.works[0]), workName(data.workLabels, f.works[1])];
  switch (f.type) {
    case 'clash':
      return `${a} en ${b} liggen ${num(m.distance_m)} m uit elkaar en overlappen ${num(m.overlap_days, 0)} dagen in hun voorkeursvenster, maar niet allebei openen ze de grond: ze moeten na elkaar (regel: ≤ ${num(f.rule.distance_m)} m).`;
    case 'moratorium': {
      const mo = data.moratoria.find((x) => x.id === f.moratorium);
      const why = mo ? ` (${esc(mo.reason)}, ${esc(mo.owner)})` : '';
      return `${a} opent de grond in graafrustgebied #${f.moratorium ?? '?'}${why} dat loopt tot ${shortDate(String(m.until ?? ''))}; ${num(m.overlap_days, 0)} dagen van het voorkeursvenster vallen erin. Uitzonderingen: ${esc(f.rule.exceptions || '—')}.`;
    }
    case 'repeat_opening':
      return `${a} en ${b} openen de grond op ${num(m.distance_m)} m van elkaar met ${num(m.gap_days, 0)} dagen ertussen: de straat gaat kort na elkaar twee keer open (regel: tussen ${num(f.rule.combine_days, 0)} en ${num(f.rule.repeat_days, 0)} dagen).`;
    case 'coupling':
      return `Onder ${a} liggen ${num(m.asset_count, 0)} objecten ${esc(systemLabel(m.system))} die vervangen moeten in ${esc(m.earliest_due_year)} (${num(m.years_before_start, 0)} jaar vóór de start).`;
    case 'combine':
      return `${a} en ${b} liggen ${num(m.distance_m)} m uit elkaar; hun ruimste vensters liggen ${num(m.gap_days, 0)} dagen uit elkaar.`;
  }
}

const table = (head: string[], rows: string[][], cls = ''): string =>
  `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

export function bundlesSection(data: ReportData): string {
  if (data.bundles.length === 0) return '<p class="muted">Geen bundels in dit gebied en deze horizon.</p>';
  return data.bundles.map((b, i) => {
    const m = b.metrics;
    const works = b.works.map((w) => `<li>${workName(data.workLabels, w)}</li>`).join('');
    const metrics = table(['Openingen minder', 'Gedeelde sleuf', 'Herbestrating vermeden', 'Hinderdagen minder', 'Besparing (indicatief)'],
      [[num(m.openings_avoided, 0), `${num(m.shared_trench_m)} m`, `${num(m.repaving_avoided_m2)} m²`, num(m.nuisance_days_avoided, 0), `€ ${num(m.saving_eur, 0)}`]], 'metrics');
    return `<article class="card bundle" id="bundel-${i + 1}"><h3><span class="tag">B${i + 1}</span> Bundel van ${b.works.length} werken — ${esc(b.organisations.join(', '))}</h3>`
      + `<p>Gezamenlijk venster: <strong>${shortDate(b.commonWindow.start)} t/m ${shortDate(b.commonWindow.end)}</strong> · id <code>${esc(b.id)}</code></p>`
      + `<ul class="works">${works}</ul>${metrics}<p class="decision">Besluit: ${decisionText(b.decision)}</p></article>`;
  }).join('');
}

export function findingsTable(findings: readonly StoredFinding[], data: ReportData, empty: string): string {
  if (findings.length === 0) return `<p class="muted">${esc(empty)}</p>`;
  return table(['#', 'Toelichting', 'Besluit'], findings.map((f, i) => [String(i + 1), explain(f, data), decisionText(f.decision)]), 'findings');
}

export function couplingsSection(data: ReportData): string {
  const couplings = data.findings.filter((f) => f.type === 'coupling');
  if (couplings.length === 0) return '<p class="muted">Geen meekoppelkansen: onder de werken liggen geen objecten die binnen de regel aan vervanging toe zijn.</p>';
  return table(['Werk', 'Systeem', 'Objecten', 'Vervangjaar (vroegste)', 'Jaren vóór de start', 'Besluit'], couplings.map((f) => [
    workName(data.workLabels, f.works[0]), esc(systemLabel(f.metrics.system)), num(f.metrics.asset_count, 0), esc(f.metrics.earliest_due_year),
    num(f.metrics.years_before_start, 0), decisionText(f.decision),
  ]), 'findings compact');
}

function walkSection(walk: ReportWalk): string {
  const hotspotNo = new Map(walk.hotspots.map((h) => [h.id, h.no]));
  const sessions = walk.sessions.map((s) => {
    const rows = s.ranking.items.map((it) => [
      String(it.rank), `${hotspotNo.has(it.id) ? `<span class="tag small">H${hotspotNo.get(it.id)}</span> ` : ''}${esc(s.labels[it.id] ?? it.id)}`,
      num(it.score, 2), it.se === null ? '—' : `${num(it.low, 2)} – ${num(it.high, 2)}`, `${it.comparisons} (${it.wins}/${it.losses}/${it.ties})`,
    ]);
    return `<h4>Paarsgewijze vergelijking: ${esc(s.title)} <span class="muted">(${s.choices} keuzes, ${s.status === 'open' ? 'open' : 'gesloten'})</span></h4>`
      + table(['Rang', 'Hotspot of thema', 'Score', '95%-interval', 'Vergelijkingen (w/v/g)'], rows, 'ranking')
      + '<p class="note">Bradley–Terry-rangorde uit de paarsgewijze keuzes (Hunter 2004; gelijkspel telt als halve winst; zwakke prior). Score 1 = een gemiddelde hotspot.</p>';
  }).join('');
  const themes = [...new Set(walk.hotspots.map((h) => h.theme))].sort((a, b) => a.localeCompare(b, 'nl'));
  const published = themes.map((t) => `<h4>${esc(t)}</h4><ul class="hotspots">${walk.hotspots.filter((h) => h.theme === t).map((h) =>
    `<li><span class="dot" style="background:${HOTSPOT_COLOURS[h.kind]}"></span><strong>H${h.no}</strong> ${h.kind}${h.cluster ? ` <span class="muted">[${esc(h.cluster)}]</span>` : ''}: ${esc(h.note || '(geen notitie)')}</li>`).join('')}</ul>`).join('');
  return `<article class="card walk"><h3>${esc(walk.title)} <span class="muted">(${shortDate(walk.date)}, ${walk.status === 'open' ? 'open' : 'gesloten'})</span></h3>`
    + (sessions || '<p class="muted">Nog geen paarsgewijze vergelijking voor deze schouw.</p>')
    + `<h4 class="sub">Gepubliceerde hotspots per thema (${walk.hotspots.length})</h4>${published || '<p class="muted">Geen gepubliceerde hotspots in dit gebied.</p>'}</article>`;
}

export function walksSection(data: ReportData): string {
  if (data.walks.length === 0) return '<p class="muted">Geen wijkschouw van uw organisatie in dit gebied.</p>';
  return data.walks.map(walkSection).join('');
}

export function rulesSection(data: ReportData): string {
  const r = data.rules;
  const pairs = Object.entries(r.pairs).map(([k, v]) => {
    const [a, b] = k.split('|');
    return [`${esc(systemLabel(a))} × ${esc(systemLabel(b))}`, `${num(v.distanceM)} m`, `${num(v.combineDays, 0)} dagen`];
  });
  const matrix = table(['Paar systemen', 'Afstand (near)', 'Tolerantie T'], [['<em>standaard (alle andere paren)</em>', `${num(r.pair.distanceM)} m`, `${num(r.pair.combineDays, 0)} dagen`], ...pairs]);
  const params = table(['Parameter', 'Waarde'], [
    ['T — werk-met-werk: ruimste vensters liggen hooguit', `${num(r.pair.combineDays, 0)} dagen uit elkaar`],
    ['H — herhaalde opening: tussen T en', `${num(r.repeatDays, 0)} dagen`],
    ['Y — meekoppelen: vervangjaar uiterlijk', `${num(r.couplingYears, 0)} jaar na de start`],
    ['Meekoppelen: object binnen', `${num(r.couplingDistanceM)} m van de sleuf`],
    ['Sleufbreedte als een werk er geen heeft', `${num(r.defaultTrenchWidthM)} m`],
    ['Herbestrating (voor de indicatieve besparing)', `€ ${num(r.repavingPricePerM2, 2)} per m²`],
  ]);
  const lifetimes = table(['Systeem', 'Materiaal', 'Levensduur'], r.lifetimes.map((l) => [esc(systemLabel(l.system)), l.material === '*' ? '<em>overig</em>' : esc(l.material), `${l.years} jaar`]), 'compact');
  const sources = [...new Set(r.lifetimes.map((l) => l.source))].map((s) => `<li>${esc(s)}</li>`).join('');
  return `<div class="two"><div><h3>Afstandsmatrix</h3>${matrix}<h3>Parameters</h3>${params}</div><div><h3>Levensduren</h3>${lifetimes}</div></div>`
    + `<h4>Bronnen levensduren</h4><ul class="sources">${sources}</ul>`;
}
