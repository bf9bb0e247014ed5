/**
 * Which rows the detail panel shows, in order, as plain label/value pairs.
 * Pure, so the Dutch/English wording and number formats are testable.
 */
import { FEATURE_TYPE_LABELS, MATERIAL_LABELS, labelWithCode } from '@model/imkl-labels.ts';
import { getSystem, isSystemCode } from '@model/systems.ts';
import type { AssetDetail, AttributeValue, WorkDetail } from '../../api/types.ts';
import { formatNumber, statusLabel, systemLabel, type Language, type MessageKey, type Translate } from '../../i18n/index.ts';
import { euros } from '../work-edit/field-text.ts';
import { formatDay, toDay } from '../works/dates.ts';
import { workKindLabel, workStatusLabel } from '../works/works-labels.ts';

export interface DetailRow {
  /** Stable key; also used for data-testid="detail-<key>". */
  key: string;
  label: string;
  /** null = unknown. */
  value: string | null;
}

const text = (v: string | null | undefined): string | null => (v === undefined || v === null || v.trim() === '' ? null : v);
const num = (lang: Language, v: number | null | undefined): string | null => (v === undefined || v === null ? null : formatNumber(lang, v));

function ownerText(asset: AssetDetail): string | null {
  const owner = asset.owner;
  const name = text(owner?.name);
  const code = text(owner?.code);
  if (name && code && name !== code) return `${name} (${code})`;
  return name ?? code;
}

/**
 * The layer the asset came in, with the organisation it belongs to (as the layer list names it): a
 * file layer without a mapped owner then still says whose layer it is, while its owner stays unknown.
 */
function datasetText(asset: AssetDetail): string | null {
  const name = text(asset.datasetName);
  const org = text(asset.datasetOwnerName);
  if (name && org && name !== org) return `${name} (${org})`;
  return name;
}

/** Last segment of a code-list URI ("…/Thema/gasLageDruk" → "gasLageDruk"). */
function lastSegment(value: string | null | undefined): string | null {
  const v = text(value);
  return v === null ? null : (v.split('/').pop() ?? v);
}

function codeLabel(table: Parameters<typeof labelWithCode>[0], code: string | null, lang: Language): string | null {
  return code === null ? null : labelWithCode(table, code, lang);
}

/** A year as written (no thousands separator), or null. */
const year = (v: number | null | undefined): string | null => (typeof v === 'number' && Number.isFinite(v) ? String(v) : null);

/** Panel title: the object's label with its type, e.g. "Gasleiding" or "Leidingonderdeel · kolk". */
export function assetTitle(asset: AssetDetail, lang: Language): string | null {
  const type = text(asset.featureType);
  const typeLabel = type === null ? null : (FEATURE_TYPE_LABELS[type]?.[lang] ?? type);
  const label = text(asset.label);
  if (typeLabel && label) return `${typeLabel} · ${label}`;
  return typeLabel ?? label;
}

export function assetRows(asset: AssetDetail, lang: Language, t: Translate): DetailRow[] {
  const row = (key: string, labelKey: MessageKey, value: string | null): DetailRow => ({ key, label: t(labelKey), value });
  const status = text(asset.status);
  return [
    row('owner', 'fieldOwner', ownerText(asset)),
    row('theme', 'fieldTheme', lastSegment(asset.theme)),
    row('system', 'fieldSystem', systemLabel(lang, getSystem(asset.system))),
    row('feature-type', 'fieldFeatureType', codeLabel(FEATURE_TYPE_LABELS, text(asset.featureType), lang)),
    row('material', 'fieldMaterial', codeLabel(MATERIAL_LABELS, lastSegment(asset.material), lang)),
    row('diameter', 'fieldDiameter', num(lang, asset.diameterMm)),
    row('voltage', 'fieldVoltage', num(lang, asset.voltageV)),
    row('pressure', 'fieldPressure', num(lang, asset.pressureBar)),
    row('status', 'fieldStatus', status === null ? null : statusLabel(lang, status)),
    row('in-service', 'fieldInService', text(asset.inServiceDate) ?? year(asset.inServiceYear)),
    row('condition', 'fieldCondition', text(asset.condition)),
    row('replacement-year', 'fieldReplacementYear', year(asset.replacementYear)),
    row('label', 'fieldLabel', text(asset.label)),
    row('source-id', 'fieldSourceId', text(asset.sourceId)),
    row('feature-no', 'fieldFeatureNo', asset.featureNo == null ? null : String(asset.featureNo)),
    row('dataset', 'fieldDataset', datasetText(asset)),
  ];
}

/** A work planned in Samenhang (issue 5) rather than a KLIC request: it has a status or a window. */
const isPlanned = (work: WorkDetail): boolean => Boolean(text(work.status) ?? text(work.preferredStart) ?? text(work.preferredEnd));

const dayText = (lang: Language, v: string | null | undefined): string | null => {
  const d = toDay(v);
  return d === null ? null : formatDay(lang, d);
};

/** The rows of a planned work: owner, status, systems, the window, digging, cost, contact, version. */
function plannedRows(work: WorkDetail, t: Translate, lang: Language): DetailRow[] {
  const row = (key: string, labelKey: MessageKey, value: string | null): DetailRow => ({ key, label: t(labelKey), value });
  const systems = (work.systems ?? []).map((c) => (isSystemCode(c) ? systemLabel(lang, getSystem(c)) : c));
  const status = text(work.status);
  const opens = work.opensGround;
  return [
    row('owner', 'fieldOwner', text(work.ownerName) ?? text(work.owner)),
    row('status', 'fieldStatus', status === null ? null : workStatusLabel(t, status)),
    row('systems', 'workFieldSystems', systems.length > 0 ? systems.join(', ') : null),
    row('earliest-start', 'workFieldEarliestStart', dayText(lang, work.earliestStart)),
    row('preferred-start', 'workFieldPreferredStart', dayText(lang, work.preferredStart)),
    row('preferred-end', 'workFieldPreferredEnd', dayText(lang, work.preferredEnd)),
    row('latest-end', 'workFieldLatestEnd', dayText(lang, work.latestEnd)),
    row('opens-ground', 'workFieldOpensGround', opens === undefined || opens === null ? null : opens ? t('yes') : t('no')),
    row('trench-width', 'workFieldTrenchWidth', opens === false ? null : num(lang, work.trenchWidth)),
    row('cost-estimate', 'workFieldCostEstimate', work.costEstimate === undefined || work.costEstimate === null ? null : euros(lang, work.costEstimate)),
    row('contact', 'workFieldContact', text(work.contact)),
    row('version', 'workFieldVersion', work.version === undefined || work.version === null ? null : String(work.version)),
  ];
}

export function workRows(work: WorkDetail, t: Translate, lang: Language = 'nl'): DetailRow[] {
  const row = (key: string, labelKey: MessageKey, value: string | null): DetailRow => ({ key, label: t(labelKey), value });
  const kind = text(work.kind);
  const kindList = work.workKinds && work.workKinds.length > 0 ? work.workKinds : kind === null ? [] : [kind];
  const kinds = kindList.length > 0 ? kindList.map((k) => workKindLabel(t, k)).join(', ') : null;
  const rows = [
    row('title', 'fieldTitle', text(work.title)),
    row('work-kinds', 'fieldWorkKinds', kinds),
    row('request-type', 'fieldRequestType', text(work.requestType)),
    row('start-date', 'fieldStartDate', text(work.startDate)),
    row('end-date', 'fieldEndDate', text(work.endDate)),
    row('street', 'fieldStreet', text(work.street)),
    row('place', 'fieldPlace', text(work.place)),
    row('requester', 'fieldRequester', text(work.requester)),
    row('source-id', 'fieldSourceId', text(work.sourceId)),
  ];
  if (!isPlanned(work)) return rows;
  // a planned work: its own fields, and of the KLIC ones only those it has (the owner stands for
  // the requester; a work drawn here has a generated source id, of no use to anyone)
  const manual = (work as { sourceKind?: unknown }).sourceKind === 'manual';
  const keep = (r: DetailRow): boolean => r.key === 'work-kinds' || (r.value !== null && r.key !== 'requester' && !(manual && r.key === 'source-id'));
  const [title, ...klic] = rows;
  return [...(title ? [title] : []), ...klic.filter(keep), ...plannedRows(work, t, lang)];
}

export function attributeText(value: AttributeValue, lang: Language, t: Translate): string {
  if (value === null) return t('detailUnknown');
  if (typeof value === 'boolean') return value ? t('yes') : t('no');
  if (typeof value === 'number') return formatNumber(lang, value);
  return value;
}
