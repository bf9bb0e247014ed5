/** English text of the area report (issue 8): the header button and its dialog. */
import type { reportNl } from './report-nl.ts';

export const reportEn: Record<keyof typeof reportNl, string> = {
  reportOpen: 'Area report',
  reportOpenTitle: 'Make an area report: map, timeline, bundles, clashes, moratoria, couplings and hotspots as the agenda of the coordination meeting',
  reportTitle: 'Area report',
  reportIntro: 'A printable report (HTML and PDF, in Dutch) of an area and a horizon, with only what you may see.',
  reportClose: 'Close',
  reportArea: 'Area',
  reportAreasLoading: 'Loading municipalities…',
  reportAreaMunicipality: 'Municipality {name} ({count} works)',
  reportAreaView: 'Current map view',
  reportFrom: 'Horizon from',
  reportTo: 'up to and including',
  reportMake: 'Make report',
  reportStarting: 'Requesting the report…',
  reportFailed: 'The report failed: {message}',
  reportOpenHtml: 'Open report (HTML)',
  reportDownloadPdf: 'Download PDF',
  reportProblemArea: 'Choose an area.',
  reportProblemFrom: 'Enter a valid start date.',
  reportProblemTo: 'Enter a valid end date.',
  reportProblemOrder: 'The horizon ends before it starts.',
};
