/**
 * The area report (issue 8) as one self-contained, printable HTML document in Dutch: a title page
 * with the counts, the map, the works timeline and list, bundles, open clashes and breaches,
 * couplings, the wijkschouw, the rules, and the agenda of the coordination meeting. No script,
 * no external resource: CSS, SVG and text only, so the same document is served as HTML and
 * printed to PDF by Chromium (pdf.ts). A4 print rules: each chapter on a new page.
 */
import { escapeHtml as esc } from '../ogc/html.ts';
import type { ReportData } from './collect.ts';
import { legend, ownerColours, bundleTags } from './map.ts';
import {
  awaitsDecision, bundlesSection, couplingsSection, findingsTable, isOpen, longDate, num, rulesSection, shortDate, walksSection, workName,
} from './sections.ts';
import { layoutTimeline, timelineSvg } from './timeline.ts';

export interface ReportCounts { works: number; bundles: number; clashes: number; breaches: number; couplings: number; hotspots: number }

export function reportCounts(data: ReportData): ReportCounts {
  const open = (type: string) => data.findings.filter((f) => f.type === type && isOpen(f)).length;
  return {
    works: data.works.length, bundles: data.bundles.length, clashes: open('clash'), breaches: open('moratorium'),
    couplings: data.findings.filter((f) => f.type === 'coupling').length, hotspots: data.walks.reduce((n, w) => n + w.hotspots.length, 0),
  };
}

/** The timeline charts, one per owner (drawn in the "Tijdlijn" step). */
export function drawTimelines(data: ReportData): string {
  const colours = ownerColours(data.works.map((w) => w.owner));
  const tags = bundleTags(data);
  return [...colours].map(([owner, colour]) => {
    const works = data.works.filter((w) => w.owner === owner)
      .sort((a, b) => (a.preferredStart ?? '').localeCompare(b.preferredStart ?? '') || a.id - b.id)
      .map((w) => ({ ...w, tag: tags.get(w.id) }));
    const layout = layoutTimeline(works, data.horizon, data.today);
    return `<figure class="owner-timeline"><figcaption><span class="swatch" style="background:${colour}"></span>${esc(owner)} — ${works.length} ${works.length === 1 ? 'werk' : 'werken'}</figcaption>`
      + `${timelineSvg(layout, colour, `Tijdlijn ${owner}`)}</figure>`;
  }).join('');
}

const STATUS_NL: Record<string, string> = { idee: 'idee', gepland: 'gepland', 'in voorbereiding': 'in voorbereiding', 'in uitvoering': 'in uitvoering', gereed: 'gereed' };

function worksTable(data: ReportData): string {
  const tags = bundleTags(data);
  const rows = [...data.works].sort((a, b) => a.owner.localeCompare(b.owner, 'nl') || (a.preferredStart ?? '').localeCompare(b.preferredStart ?? '')).map((w) =>
    `<tr><td>${w.id}</td><td>${esc(w.title)}${tags.has(w.id) ? ` <span class="tag small">${tags.get(w.id)}</span>` : ''}</td><td>${esc(w.owner)}</td><td>${esc(w.kind ?? '—')}</td>`
    + `<td>${esc(STATUS_NL[w.status] ?? w.status)}</td><td class="nowrap">${shortDate(w.preferredStart)} – ${shortDate(w.preferredEnd)}</td>`
    + `<td class="nowrap">${shortDate(w.earliestStart)} – ${shortDate(w.latestEnd)}</td><td>${w.opensGround ? 'ja' : 'nee'}</td></tr>`);
  return `<table class="works-table"><thead><tr><th>#</th><th>Werk</th><th>Eigenaar</th><th>Soort</th><th>Status</th><th>Voorkeursvenster</th><th>Rek (vroegst – uiterst)</th><th>Grond open</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function agenda(data: ReportData): string {
  const items: string[] = [];
  data.bundles.forEach((b, i) => {
    if (awaitsDecision(b)) {
      items.push(`<li><strong>Besluit over bundel B${i + 1}</strong> (${esc(b.organisations.join(', '))}): samen uitvoeren in ${shortDate(b.commonWindow.start)} t/m ${shortDate(b.commonWindow.end)}? `
        + `${num(b.metrics.openings_avoided, 0)} opening(en) minder, ± € ${num(b.metrics.saving_eur, 0)}.${b.decision ? ' Eerder uitgesteld.' : ''}</li>`);
    }
  });
  for (const f of data.findings.filter((x) => x.type === 'clash' && isOpen(x))) {
    items.push(`<li><strong>Volgorde afspreken</strong> (botsing): ${workName(data.workLabels, f.works[0])} en ${workName(data.workLabels, f.works[1])} — ${num(f.metrics.overlap_days, 0)} dagen overlap.</li>`);
  }
  for (const f of data.findings.filter((x) => x.type === 'moratorium' && isOpen(x))) {
    items.push(`<li><strong>Graafrust</strong>: ${workName(data.workLabels, f.works[0])} valt ${num(f.metrics.overlap_days, 0)} dagen in graafrust tot ${shortDate(String(f.metrics.until ?? ''))} — verschuiven, ontheffing of afwijzen?</li>`);
  }
  const couplings = data.findings.filter((f) => f.type === 'coupling' && f.decision === null).length;
  if (couplings > 0) items.push(`<li><strong>Meekoppelkansen</strong>: ${couplings} kans(en) zonder besluit; eigenaren melden of zij meekoppelen (zie hoofdstuk 5).</li>`);
  const ranked = data.walks.filter((w) => w.sessions.some((s) => s.choices > 0)).length;
  if (ranked > 0) items.push(`<li><strong>Wijkschouw</strong>: de rangorde van ${ranked === 1 ? 'de schouw' : `${ranked} schouwen`} meenemen in de prioritering (hoofdstuk 6).</li>`);
  items.push('<li>Rondvraag en volgende overleg.</li>');
  return `<ol class="agenda">${items.join('')}</ol>`;
}

export const REPORT_CSS = `
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Helvetica Neue", Helvetica, Arial, sans-serif; font-size: 10pt; line-height: 1.4; color: #1c2430; margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
h1 { font-size: 26pt; margin: 0 0 4mm; color: #0b3d66; line-height: 1.15; }
h2 { font-size: 15pt; color: #0b3d66; border-bottom: 2px solid #0b3d66; padding-bottom: 1mm; margin: 0 0 4mm; }
h3 { font-size: 11.5pt; margin: 4mm 0 2mm; break-after: avoid; } h4 { font-size: 10pt; margin: 3mm 0 1.5mm; } h4.sub { margin-top: 4mm; }
section.chapter { break-before: page; page-break-before: always; }
.cover { min-height: 250mm; display: flex; flex-direction: column; }
.kicker { text-transform: uppercase; letter-spacing: 0.12em; color: #5a6b7d; font-size: 9pt; margin: 0 0 2mm; }
.subtitle { font-size: 13pt; color: #33475b; margin: 0 0 8mm; }
.facts { display: grid; grid-template-columns: 38mm 1fr; gap: 1.5mm 4mm; margin: 0 0 8mm; }
.facts dt { color: #5a6b7d; } .facts dd { margin: 0; font-weight: 600; }
.counts { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4mm; margin: 0 0 8mm; }
.count { border: 1px solid #c9d3dd; border-top: 4px solid #0b3d66; border-radius: 2mm; padding: 3mm 4mm; background: #f6f8fa; }
.count b { display: block; font-size: 22pt; color: #0b3d66; line-height: 1.1; } .count span { color: #33475b; }
.count.alert { border-top-color: #c0392b; } .count.alert b { color: #c0392b; }
.summary { font-size: 10.5pt; margin: 0 0 6mm; }
.toc { columns: 2; margin: 0; padding-left: 5mm; } .toc li { margin: 0 0 1mm; }
.cover footer { margin-top: auto; font-size: 8.5pt; color: #5a6b7d; border-top: 1px solid #c9d3dd; padding-top: 2mm; }
table { border-collapse: collapse; width: 100%; margin: 1.5mm 0 3mm; font-size: 8.8pt; }
th, td { border-bottom: 1px solid #d5dde5; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; }
th { background: #e9eef3; font-weight: 600; } tr { break-inside: avoid; }
table.metrics td { font-size: 10.5pt; font-weight: 600; } table.compact td, table.compact th { padding: 0.6mm 1.4mm; }
.nowrap { white-space: nowrap; } .muted { color: #5a6b7d; } .note { font-size: 8pt; color: #5a6b7d; margin: 0 0 2mm; }
.card { border: 1px solid #c9d3dd; border-left: 4px solid #0b3d66; border-radius: 1.5mm; padding: 2mm 4mm; margin: 0 0 4mm; break-inside: avoid; }
.card.walk { break-inside: auto; border-left-color: #1e8449; }
.card ul.works { margin: 1mm 0 2mm; padding-left: 5mm; }
.tag { display: inline-block; background: #ffd400; border: 1px solid #222; border-radius: 1mm; padding: 0 1.5mm; font-weight: 700; font-size: 9pt; }
.tag.small { font-size: 7.5pt; padding: 0 1mm; background: #fff3b0; }
.pill { display: inline-block; white-space: nowrap; border-radius: 3mm; padding: 0 2mm; font-size: 8pt; font-weight: 600; background: #e9eef3; }
.pill.open { background: #fdebd0; color: #8a4b08; } .pill.accepted { background: #d5f5e3; color: #145a32; }
.pill.rejected { background: #eaecee; color: #444; } .pill.deferred { background: #fcf3cf; color: #7d6608; }
figure { margin: 0 0 3mm; break-inside: avoid; } figcaption { font-weight: 600; margin: 0 0 1mm; }
.swatch, .dot { display: inline-block; width: 3mm; height: 3mm; border-radius: 50%; margin-right: 1.5mm; vertical-align: -0.3mm; }
svg.map { display: block; border-radius: 1mm; } .detail-map { break-before: page; page-break-before: always; } .legend { display: grid; grid-template-columns: 1fr 1.3fr; gap: 4mm; font-size: 8.5pt; margin-top: 3mm; }
.legend ul { list-style: none; margin: 0; padding: 0; } .legend li { margin: 0 0 0.8mm; } .legend ul.cols { columns: 2; } .legend svg { vertical-align: middle; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; }
ol.agenda li { margin: 0 0 2.5mm; } ul.hotspots { padding-left: 2mm; list-style: none; } ul.hotspots li { margin: 0 0 1mm; }
ul.sources { font-size: 8pt; color: #33475b; }
@media screen { body { padding: 10mm 12mm; background: #fff; } html { background: #dfe4ea; } section.chapter, .detail-map { margin-top: 12mm; } }
@media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
`;

export function renderReport(data: ReportData, parts: { map: string; details?: readonly string[]; timelines: string }): string {
  const c = reportCounts(data);
  const horizon = `${longDate(data.horizon.from)} t/m ${longDate(data.horizon.to)}`;
  const generated = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(data.generatedAt);
  const count = (n: number, label: string, alert = false) => `<div class="count${alert && n > 0 ? ' alert' : ''}"><b>${n}</b><span>${label}</span></div>`;
  const clashes = data.findings.filter((f) => f.type === 'clash' && isOpen(f));
  const breaches = data.findings.filter((f) => f.type === 'moratorium' && isOpen(f));
  const repeats = data.findings.filter((f) => f.type === 'repeat_opening' && isOpen(f));
  const chapters: [string, string, string][] = [
    ['kaart', 'Kaart van het gebied', `${parts.map}${legend(data)}<p class="note">Netwerken en werken zoals ${esc(data.requester.organisation ?? 'u')} ze mag zien; coördinaten RD New (EPSG:28992). Werknummers (#) verwijzen naar de lijst in hoofdstuk 2.${parts.details?.length ? ' D1, D2 …: de detailkaarten hierna.' : ''}</p>`
      + (parts.details ?? []).map((svg, i) => `<div class="detail-map"><h3>Detailkaart D${i + 1}</h3>${svg}</div>`).join('')],
    ['werken', 'Tijdlijn van de werken', `<p class="note">Balk: voorkeursvenster (licht: idee); dunne lijn: rek van vroegste start tot uiterste eind; rode lijn: vandaag; pijl: loopt door buiten de horizon; [B1]: in bundel B1. Werken zonder datum en vervallen werken staan er niet in.</p>${parts.timelines || '<p class="muted">Geen werken in dit gebied en deze horizon.</p>'}<h3>Alle werken (${c.works})</h3>${worksTable(data)}`],
    ['bundels', `Bundels (${c.bundles})`, `<p class="note">Werken die samen in één keer kunnen (werk-met-werk). De getallen zijn die van de analyse: per gekoppeld paar één opening minder, de gedeelde sleuflengte, de herbestrating die daarmee vervalt en de hinderdagen van het kortste venster.</p>${bundlesSection(data)}`],
    ['botsingen', 'Open botsingen en graafrust', `<h3>Botsingen (${c.clashes})</h3>${findingsTable(clashes, data, 'Geen open botsingen.')}<h3>Graafrust geschonden (${c.breaches})</h3>${findingsTable(breaches, data, 'Geen open schendingen van graafrust.')}<h3>Herhaalde openingen (${repeats.length})</h3>${findingsTable(repeats, data, 'Geen herhaalde openingen.')}`],
    ['meekoppelen', `Meekoppelkansen (${c.couplings})`, `<p class="note">Objecten onder een werk die volgens hun leeftijd en de levensduurtabel (hoofdstuk 7) binnen de regel aan vervanging toe zijn.</p>${couplingsSection(data)}`],
    ['wijkschouw', `Wijkschouw: hotspots (${c.hotspots})`, walksSection(data)],
    ['regels', 'Gebruikte regels', rulesSection(data)],
    ['agenda', 'Agenda coördinatieoverleg', `<p>Voorstel voor de agenda, afgeleid uit de openstaande punten van dit rapport.</p>${agenda(data)}`],
  ];
  const toc = chapters.map(([id, title]) => `<li><a href="#${id}">${esc(title)}</a></li>`).join('');
  const body = chapters.map(([id, title, html], i) => `<section class="chapter" id="${id}"><h2>${i + 1}. ${esc(title)}</h2>${html}</section>`).join('');
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>Gebiedsrapport ${esc(data.area.name)}</title><style>${REPORT_CSS}</style></head><body>`
    + `<header class="cover"><p class="kicker">Samenhang · gebiedsrapport</p><h1 data-testid="report-title">Gebiedsrapport ${esc(data.area.name)}</h1>`
    + `<p class="subtitle">Werk-met-werk, botsingen, graafrust, meekoppelkansen en wijkschouw — agenda voor het coördinatieoverleg</p>`
    + `<dl class="facts"><dt>Gebied</dt><dd>${esc(data.area.name)}${data.area.code ? ` (${esc(data.area.code)})` : ''}</dd><dt>Horizon</dt><dd>${horizon}</dd>`
    + `<dt>Gemaakt</dt><dd>${esc(generated)}</dd><dt>Voor</dt><dd>${esc(data.requester.organisation ?? '')}${data.requester.email ? ` (${esc(data.requester.email)})` : ''}</dd></dl>`
    + `<div class="counts" data-testid="report-counts">${count(c.works, 'werken')}${count(c.bundles, c.bundles === 1 ? 'bundel' : 'bundels')}${count(c.clashes, 'open botsingen', true)}`
    + `${count(c.breaches, 'graafrustschendingen', true)}${count(c.couplings, 'meekoppelkansen')}${count(c.hotspots, 'hotspots')}</div>`
    + `<p class="summary" data-testid="report-summary">In dit gebied en deze horizon: ${c.works} werken, ${c.bundles} ${c.bundles === 1 ? 'bundel' : 'bundels'}, ${c.clashes} open botsingen, `
    + `${c.breaches} graafrustschendingen, ${c.couplings} meekoppelkansen en ${c.hotspots} hotspots uit de wijkschouw.</p>`
    + `<h3>Inhoud</h3><ol class="toc">${toc}</ol>`
    + `<footer>Dit rapport bevat alleen gegevens die ${esc(data.requester.organisation ?? 'de aanvrager')} mag inzien, op ${esc(generated)}. Vertrouwelijk: alleen voor de deelnemers aan het coördinatieoverleg. `
    + 'Gemaakt met Samenhang; netwerkdata uit KLIC-leveringen, planning door de eigenaren aangeleverd.</footer></header>'
    + `${body}</body></html>`;
}
