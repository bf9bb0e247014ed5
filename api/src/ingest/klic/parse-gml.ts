/**
 * Streaming IMKL 2.0 GML reader (saxes). Chunks from the zip entry are decoded and fed to the parser
 * as they arrive; per gml:featureMember only leaf values and geometries are kept (see raw.ts).
 * The raw XML text is never held as a whole.
 */
import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';
import type { SaxesTagNS } from 'saxes';
import { GeometryBuilder, isGeometryElement } from './gml-geometry.ts';
import type { ParsedGml, RawFeature } from './raw.ts';
import { KlicImportError } from './types.ts';

const GML_NS_PREFIX = 'http://www.opengis.net/gml';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/**
 * Feature types that are counted and dropped without collecting their content: cartographic
 * helpers (Maatvoering, Annotatie, DiepteTovMaaiveld), extra polygons (ExtraGeometrie,
 * EigenTopografie, AanduidingEisVoorzorgsmaatregel) and delivery administration.
 */
export const NOT_COLLECTED: ReadonlySet<string> = new Set([
  'Maatvoering',
  'Annotatie',
  'DiepteTovMaaiveld',
  'ExtraGeometrie',
  'EigenTopografie',
  'AanduidingEisVoorzorgsmaatregel',
  'GebiedsinformatieLevering',
  'Belang',
  'Belanghebbende',
  'Bijlage',
  'EisVoorzorgsmaatregelBijlage',
]);

/** Subtrees inside a feature that the mapper never needs (identifiers, contacts, house-connection addresses). */
const IGNORED_SUBTREES: ReadonlySet<string> = new Set([
  'identificatie',
  'inspireId',
  'huisaansluitingAdressen',
  'contactpersoon',
  'extraContact',
  'postbusAdres',
  'labelpositie',
]);

const MEMBER_CONTAINERS: ReadonlySet<string> = new Set(['featureMember', 'featureMembers', 'member']);

export interface GmlSource {
  /** base name of the zip, for messages */
  fileName: string;
  /** name of the GML entry, for messages */
  entryName: string;
}

interface Frame {
  local: string;
  text: string;
  hasChild: boolean;
  href: string | null;
  nil: boolean;
  uom: string | null;
}

function attr(tag: SaxesTagNS, uri: string, local: string): string | null {
  for (const a of Object.values(tag.attributes)) {
    if (a.local === local && a.uri === uri) return a.value;
  }
  return null;
}

/** Receives saxes events and builds RawFeatures. Throws KlicImportError for bad coordinates. */
class FeatureCollector {
  readonly features: RawFeature[] = [];
  readonly skipped: Record<string, number> = {};
  private readonly names: string[] = [];
  private skipDepth = 0;
  private feature: RawFeature | null = null;
  private featureDepth = 0;
  private frames: Frame[] = [];
  private geometry: GeometryBuilder | null = null;
  private geometryDepth = 0;

  constructor(
    private readonly source: GmlSource,
    private readonly currentLine: () => number,
  ) {}

  open(tag: SaxesTagNS): void {
    const parent = this.names[this.names.length - 1] ?? '';
    this.names.push(tag.local);
    if (this.skipDepth > 0) return;
    if (!this.feature) {
      if (MEMBER_CONTAINERS.has(parent)) this.startFeature(tag);
      return;
    }
    if (this.geometry) this.geometry.open(tag, parent);
    else if (tag.uri.startsWith(GML_NS_PREFIX) && isGeometryElement(tag.local)) this.startGeometry(tag);
    else if (IGNORED_SUBTREES.has(tag.local)) this.skipDepth = this.names.length;
    else this.pushFrame(tag);
  }

  text(text: string): void {
    if (this.skipDepth > 0 || !this.feature) return;
    if (this.geometry) {
      this.geometry.text(text);
      return;
    }
    const top = this.frames[this.frames.length - 1];
    if (top && !top.hasChild) top.text += text;
  }

  close(): void {
    const depth = this.names.length;
    const local = this.names.pop() ?? '';
    if (this.skipDepth > 0) {
      if (depth === this.skipDepth) this.skipDepth = 0;
      return;
    }
    if (!this.feature) return;
    if (this.geometry) this.closeInGeometry(depth, local);
    else if (depth === this.featureDepth) this.finishFeature();
    else this.popFrame();
  }

  private startFeature(tag: SaxesTagNS): void {
    if (NOT_COLLECTED.has(tag.local)) {
      this.skipped[tag.local] = (this.skipped[tag.local] ?? 0) + 1;
      this.skipDepth = this.names.length;
      return;
    }
    this.feature = { type: tag.local, id: this.gmlId(tag), line: this.currentLine(), leaves: [], geometries: [] };
    this.featureDepth = this.names.length;
    this.frames = [];
  }

  private gmlId(tag: SaxesTagNS): string {
    for (const a of Object.values(tag.attributes)) {
      if (a.local === 'id' && a.uri.startsWith(GML_NS_PREFIX)) return a.value;
    }
    return '';
  }

  private finishFeature(): void {
    if (this.feature) this.features.push(this.feature);
    this.feature = null;
    this.frames = [];
  }

  private pushFrame(tag: SaxesTagNS): void {
    const top = this.frames[this.frames.length - 1];
    if (top) {
      top.hasChild = true;
      top.text = '';
    }
    this.frames.push({
      local: tag.local,
      text: '',
      hasChild: false,
      href: attr(tag, XLINK_NS, 'href'),
      nil: attr(tag, XSI_NS, 'nil') === 'true',
      uom: attr(tag, '', 'uom'),
    });
  }

  private popFrame(): void {
    const path = this.frames.map((f) => f.local).join('/');
    const frame = this.frames.pop();
    if (!frame || frame.hasChild || !this.feature) return;
    const { text, href, nil, uom } = frame;
    this.feature.leaves.push({ path, text: text.trim(), href, nil, uom });
  }

  private startGeometry(tag: SaxesTagNS): void {
    const top = this.frames[this.frames.length - 1];
    if (top) top.hasChild = true;
    const property = top?.local ?? '';
    this.geometry = new GeometryBuilder(property, tag, (problem) => this.coordinateError(problem));
    this.geometryDepth = this.names.length;
  }

  private closeInGeometry(depth: number, local: string): void {
    if (!this.geometry || !this.feature) return;
    if (depth === this.geometryDepth) {
      this.feature.geometries.push(this.geometry.finish());
      this.geometry = null;
    } else {
      this.geometry.close(local);
    }
  }

  private coordinateError(problem: string): KlicImportError {
    const { fileName, entryName } = this.source;
    const where = `${this.feature?.type ?? 'feature'} ${this.feature?.id ?? ''}`.trim();
    return new KlicImportError(
      `${fileName}: ${entryName} line ${this.currentLine()}: ${where}: ${problem}`,
      fileName,
      problem,
    );
  }
}

function xmlError(source: GmlSource, line: number, column: number, problem: string): KlicImportError {
  const { fileName, entryName } = source;
  return new KlicImportError(
    `${fileName}: malformed XML in ${entryName} at line ${line}, column ${column}: ${problem}`,
    fileName,
    problem,
  );
}

/** Wire a saxes parser to a collector; XML errors are rethrown by the caller via `takeError`. */
function createParser(source: GmlSource) {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let failure: Error | null = null;
  const collector = new FeatureCollector(source, () => parser.line);
  parser.on('error', (err) => {
    failure = err;
    throw err;
  });
  parser.on('xmldecl', (decl) => {
    if (decl.encoding && !/^utf-?8$/i.test(decl.encoding)) {
      throw xmlError(source, parser.line, parser.column + 1, `unsupported encoding ${decl.encoding} (KLIC is UTF-8)`);
    }
  });
  parser.on('opentag', (tag) => collector.open(tag));
  parser.on('text', (text) => collector.text(text));
  parser.on('cdata', (text) => collector.text(text));
  parser.on('closetag', () => collector.close());
  const run = (step: () => void): void => {
    try {
      step();
    } catch (err) {
      if (err !== failure || !(err instanceof Error)) throw err;
      const problem = err.message.replace(/^.*?\d+:\d+: /, '');
      throw xmlError(source, parser.line, parser.column + 1, problem);
    }
  };
  return { parser, collector, run };
}

/**
 * Parse an IMKL GML stream. Throws KlicImportError naming zip, entry and line/column for malformed
 * XML, and the zip and entry when the stream itself fails (corrupt deflate data, size mismatch).
 */
export async function parseGmlStream(stream: Readable, source: GmlSource): Promise<ParsedGml> {
  const { parser, collector, run } = createParser(source);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw xmlError(source, parser.line, parser.column + 1, 'invalid UTF-8 byte sequence');
    }
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = decode(chunk);
      run(() => parser.write(text));
    }
  } catch (err) {
    stream.destroy();
    if (err instanceof KlicImportError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw new KlicImportError(`${source.fileName}: cannot read ${source.entryName} (${msg})`, source.fileName, msg);
  }
  const rest = decode();
  run(() => parser.write(rest).close());
  return { features: collector.features, skipped: collector.skipped };
}
