/**
 * Texts of the import dialog that are computed: progress, CRS, duration, sizes. Pure; the
 * translate function and language are passed in.
 */
import type { ImportCrs } from '../../api/types.ts';
import { formatNumber, type Language, type MessageKey, type Translate } from '../../i18n/index.ts';
import type { ImportFlow } from './import-flow.ts';

export interface ProgressView {
  /** 0..100, or null when the amount of work is not known (indeterminate bar) */
  percent: number | null;
  text: string;
}

const clampPercent = (p: number): number => Math.max(0, Math.min(100, Math.round(p)));

export function formatBytes(language: Language, bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const rounded = unit === 0 ? value : Math.round(value * 10) / 10;
  return `${formatNumber(language, rounded)} ${units[unit] ?? 'B'}`;
}

/** The progress bar of the steps that have one (upload, analyse, load); null for the others. */
export function progressView(flow: ImportFlow, t: Translate, language: Language): ProgressView | null {
  const n = (v: number): string => formatNumber(language, v);
  if (flow.step === 'uploading') {
    const percent = flow.total > 0 ? clampPercent((flow.sent / flow.total) * 100) : null;
    const text = t('importProgressUpload', { sent: formatBytes(language, flow.sent), total: formatBytes(language, flow.total) });
    return { percent, text };
  }
  if (flow.step !== 'analysing' && flow.step !== 'loading') return null;
  const p = flow.job.progress;
  const known = p.total !== null || p.percent > 0;
  const percent = known ? clampPercent(p.percent) : null;
  if (flow.step === 'analysing' || p.phase === 'analyse') {
    return { percent, text: t('importProgressAnalyse', { parsed: n(p.parsed) }) };
  }
  const text =
    p.total === null
      ? t('importProgressLoad', { parsed: n(p.parsed), loaded: n(p.loaded) })
      : t('importProgressLoadOf', { parsed: n(p.parsed), loaded: n(p.loaded), total: n(p.total) });
  return { percent, text };
}

/** Common names of the CRSs Dutch utility data comes in. */
const CRS_NAMES: Readonly<Record<number, string>> = {
  28992: 'RD New',
  7415: 'RD New + NAP',
  4326: 'WGS 84',
  4258: 'ETRS89',
  3857: 'Web Mercator',
  25831: 'ETRS89 / UTM 31N',
  25832: 'ETRS89 / UTM 32N',
};

const CRS_SOURCE_KEYS: Readonly<Record<string, MessageKey>> = {
  prj: 'importCrsFromPrj',
  geopackage: 'importCrsFromGeopackage',
  'geojson-crs': 'importCrsFromGeojson',
  kml: 'importCrsFromKml',
  'csv-option': 'importCrsFromOption',
};

export function crsName(epsg: number | null, t: Translate): string {
  if (epsg === null) return t('importCrsUnknown');
  const name = CRS_NAMES[epsg];
  return name ? `${name} (EPSG:${epsg})` : `EPSG:${epsg}`;
}

/** "RD New (EPSG:28992), uit .prj" or "…, geraden uit de coördinaten". */
export function crsText(crs: ImportCrs | null, t: Translate): string {
  if (crs === null) return t('importCrsUnknown');
  const name = crsName(crs.epsg, t);
  if (crs.guessed) return `${name}, ${t('importCrsGuessed')}`;
  const key = CRS_SOURCE_KEYS[crs.source];
  return key ? `${name}, ${t(key)}` : name;
}

/** 850 → "0,9 s"; 72 000 → "1 min 12 s". */
export function durationText(language: Language, ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${formatNumber(language, Math.round(seconds * 10) / 10)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** The first `limit` items and how many are left out ("en N meer"). */
export function firstOf<T>(items: readonly T[], totalCount: number, limit = 20): { shown: T[]; more: number } {
  const shown = items.slice(0, limit);
  return { shown, more: Math.max(0, totalCount - shown.length) };
}
