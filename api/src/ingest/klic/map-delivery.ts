/**
 * Raw IMKL features (from parse-gml) → KlicDelivery.
 *
 * - Cables/pipes carry no geometry: their `net:link` hrefs are joined to UtilityLink features and
 *   their centrelines become a LineString (one link) or MultiLineString (several).
 * - Point objects (Appurtenance, Kast, Mast, TechnischGebouw, Put, ...) use `net:geometry` /
 *   `us-net-common:geometry`.
 * - Theme via inNetwork → Utiliteitsnet.thema; owner from the gml:id prefix; names from Beheerder.
 * - The Graafpolygoon / Orientatiepolygoon plus the GebiedsinformatieAanvraag become the KlicWork.
 */
import { buildAsset } from './map-asset.ts';
import { datePart, lastSegment, leaf, leafCode, leafText, leaves } from './raw.ts';
import type { ParsedGml, RawFeature, RawGeometry } from './raw.ts';
import { fromLines, isRdNew, linesOf, polygonOf, toRdGeometry } from './rd-geometry.ts';
import { KlicImportError } from './types.ts';
import type { KlicAsset, KlicDelivery, KlicOrganisation, KlicWork, RdGeometry } from './types.ts';

export interface DeliverySource {
  /** base name of the zip */
  fileName: string;
  /** GML entry name inside the zip */
  gmlEntry: string;
}

/** Feature types used to build assets/works but not assets themselves. */
const CONSUMED_TYPES: ReadonlySet<string> = new Set([
  'UtilityLink',
  'Utiliteitsnet',
  'Beheerder',
  'GebiedsinformatieAanvraag',
  'Graafpolygoon',
  'Orientatiepolygoon',
]);
const WORK_TYPES: ReadonlySet<string> = new Set(['Graafpolygoon', 'Orientatiepolygoon']);
/** Theme used when an object's network is not in the delivery. */
const UNKNOWN_THEME = 'onbekend';

interface DeliveryIndex {
  links: Map<string, RawFeature>;
  themes: Map<string, string>;
  beheerders: RawFeature[];
  aanvraag: RawFeature | null;
  polygons: RawFeature[];
  objects: RawFeature[];
}

function indexFeatures(features: readonly RawFeature[]): DeliveryIndex {
  const index: DeliveryIndex = { links: new Map(), themes: new Map(), beheerders: [], aanvraag: null, polygons: [], objects: [] };
  for (const f of features) {
    if (f.type === 'UtilityLink') index.links.set(f.id, f);
    else if (f.type === 'Utiliteitsnet') index.themes.set(f.id, leafCode(f, 'thema') ?? UNKNOWN_THEME);
    else if (f.type === 'Beheerder') index.beheerders.push(f);
    else if (f.type === 'GebiedsinformatieAanvraag') index.aanvraag ??= f;
    else if (WORK_TYPES.has(f.type)) index.polygons.push(f);
    else if (!CONSUMED_TYPES.has(f.type)) index.objects.push(f);
  }
  return index;
}

class DeliveryMapper {
  readonly skipped: Record<string, number>;
  readonly warnings: string[] = [];
  private readonly index: DeliveryIndex;

  constructor(
    parsed: ParsedGml,
    private readonly source: DeliverySource,
  ) {
    this.skipped = { ...parsed.skipped };
    this.index = indexFeatures(parsed.features);
  }

  map(): KlicDelivery {
    const assets = this.index.objects.map((f) => this.asset(f)).filter((a): a is KlicAsset => a !== null);
    const works = this.index.polygons.map((f) => this.work(f)).filter((w): w is KlicWork => w !== null);
    const delivery: KlicDelivery = {
      fileName: this.source.fileName,
      gmlEntry: this.source.gmlEntry,
      klicMeldnummer: this.meldnummer(),
      organisations: this.organisations(),
      assets,
      works,
      skipped: this.skipped,
    };
    return this.warnings.length > 0 ? { ...delivery, warnings: this.warnings } : delivery;
  }

  private skip(key: string): null {
    this.skipped[key] = (this.skipped[key] ?? 0) + 1;
    return null;
  }

  /** Geometry usable as RD New, or a KlicImportError naming the feature. */
  private checked(f: RawFeature, g: RawGeometry): RawGeometry {
    if (isRdNew(g.srsName)) return g;
    const { fileName, gmlEntry } = this.source;
    const problem = `unsupported srsName "${g.srsName ?? ''}" (expected RD New, EPSG:28992)`;
    throw new KlicImportError(`${fileName}: ${gmlEntry} line ${f.line}: ${f.type} ${f.id}: ${problem}`, fileName, problem);
  }

  private asset(f: RawFeature): KlicAsset | null {
    const geometry = leaves(f, 'link').length > 0 ? this.linkGeometry(f) : this.pointGeometry(f);
    if (!geometry) return null;
    const network = leaf(f, 'inNetwork')?.href ?? null;
    const theme = (network && this.index.themes.get(network)) || UNKNOWN_THEME;
    return buildAsset(f, geometry, theme);
  }

  /** Centrelines of the UtilityLinks the object points to; skipped when none is in the delivery. */
  private linkGeometry(f: RawFeature): RdGeometry | null {
    const hrefs = leaves(f, 'link').map((l) => l.href ?? '');
    const lines: [number, number][][] = [];
    let missing = 0;
    for (const href of hrefs) {
      const link = this.index.links.get(href);
      const g = link?.geometries.find((x) => x.property === 'centrelineGeometry') ?? link?.geometries[0];
      if (!link || !g) missing += 1;
      else lines.push(...linesOf(this.checked(link, g)));
    }
    if (lines.length === 0) return this.skip(`${f.type}:${missing > 0 ? 'missingLink' : 'unsupportedGeometry'}`);
    if (missing > 0) this.warnings.push(`${f.type} ${f.id}: ${missing} of ${hrefs.length} links missing; geometry is partial`);
    return fromLines(lines);
  }

  private pointGeometry(f: RawFeature): RdGeometry | null {
    const g = f.geometries.find((x) => x.property === 'geometry');
    if (!g) return this.skip(f.type);
    return toRdGeometry(this.checked(f, g)) ?? this.skip(`${f.type}:unsupportedGeometry`);
  }

  private organisations(): KlicOrganisation[] {
    const out: KlicOrganisation[] = [];
    for (const b of this.index.beheerders) {
      const code = leafText(b, 'bronhoudercode');
      if (!code || out.some((o) => o.code === code)) continue;
      out.push({ code, name: leafText(b, 'organisatie/Organisatie/naam') ?? code });
    }
    return out;
  }

  private meldnummer(): string {
    const fromAanvraag = this.index.aanvraag && leafText(this.index.aanvraag, 'klicMeldnummer');
    return fromAanvraag || /(\d{2}[A-Z]\d{6})/.exec(this.source.fileName)?.[1] || '';
  }

  private work(f: RawFeature): KlicWork | null {
    const g = f.geometries.find((x) => x.property === 'geometrie') ?? f.geometries[0];
    const polygon = g ? polygonOf(this.checked(f, g)) : null;
    if (!polygon) return this.skip(`${f.type}:unsupportedGeometry`);
    return buildWork(f, this.index.aanvraag, this.meldnummer(), polygon);
  }
}

/** Title shown in lists: `KLIC 22G003179 — HDPEbuisLeggen Julianalaan`. */
export function workTitle(meldnummer: string, workKinds: readonly string[], street: string | null): string {
  const what = [workKinds[0], street].filter((s): s is string => Boolean(s)).join(' ');
  return what ? `KLIC ${meldnummer} — ${what}` : `KLIC ${meldnummer}`;
}

function buildWork(
  polygonFeature: RawFeature,
  aanvraag: RawFeature | null,
  meldnummer: string,
  geometry: Extract<RdGeometry, { type: 'Polygon' }>,
): KlicWork {
  const text = (path: string): string | null => (aanvraag ? leafText(aanvraag, path) : null);
  const fallbackType = polygonFeature.type === 'Graafpolygoon' ? 'graafmelding' : 'orientatieverzoek';
  const workKinds = aanvraag
    ? leaves(aanvraag, 'soortWerkzaamheden').flatMap((l) => (l.href ? [lastSegment(l.href)] : []))
    : [];
  const street = text('locatieWerkzaamheden/Adres/openbareRuimteNaam');
  return {
    sourceId: polygonFeature.id,
    klicMeldnummer: meldnummer,
    requestType: (aanvraag && leafCode(aanvraag, 'aanvraagSoort')) || fallbackType,
    workKinds,
    title: workTitle(meldnummer, workKinds, street),
    description: text('omschrijvingWerkzaamheden'),
    street,
    place: text('locatieWerkzaamheden/Adres/woonplaatsNaam'),
    startDate: datePart(text('startDatum')),
    endDate: datePart(text('eindDatum')),
    requestDate: datePart(text('aanvraagDatum')),
    requester: text('aanvrager/Aanvrager/organisatie/Organisatie/naam'),
    geometry,
  };
}

/** Map a parsed GML delivery. Throws KlicImportError for geometries not in RD New. */
export function mapDelivery(parsed: ParsedGml, source: DeliverySource): KlicDelivery {
  return new DeliveryMapper(parsed, source).map();
}
