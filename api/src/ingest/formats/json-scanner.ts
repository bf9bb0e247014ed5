/**
 * A streaming scanner for GeoJSON: finds the elements of the root object's `features` array and
 * the root's other members in a byte stream, without recursion, and hands each one to JSON.parse.
 *
 * Why not a general streaming JSON parser: JSON.parse is native and several times faster than any
 * token-by-token parser in JavaScript, so the scanner only tracks nesting depth and strings to find
 * where each feature starts and ends. Nesting deeper than `maxDepth` is refused as soon as it is
 * seen (a 100 000-deep array never reaches a recursive parser) and so is any single feature or
 * member longer than `maxItemBytes` (the unit that must be held in memory) while it is read.
 *
 * Accepted top levels: a FeatureCollection, a single Feature or bare geometry, and a sequence of
 * those (newline-delimited GeoJSON / GeoJSON text sequences).
 */

/** JSON's structural bytes (also written by load/attributes-json.ts) */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;
export const COMMA = 0x2c;
const COLON = 0x3a;

export class JsonScanError extends Error {
  constructor(
    message: string,
    readonly kind: 'too_deep' | 'line_too_long' | 'bad_json' | 'not_geojson',
    /** byte offset in the stream */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonScanError';
  }
}

type Expect = 'root' | 'key' | 'colon' | 'value' | 'comma' | 'element';
type CaptureKind = 'key' | 'member' | 'feature';

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xef || c === 0xbb || c === 0xbf || c === 0x1e;
}

export interface ScannerLimits {
  maxDepth: number;
  maxItemBytes: number;
}

/** stands in `features` for an element of the `features` array the scanner was told to skip (not parsed) */
export const SKIPPED: unique symbol = Symbol('skipped feature');

export class GeoJsonScanner {
  /** parsed elements of `features` (and top-level Features/geometries), in order; drain after write() */
  readonly features: unknown[] = [];
  /** parsed members of the current/last root object other than `features` */
  readonly members = new Map<string, unknown>();
  /** true once a `features` array has begun (in the current root object) */
  sawFeatures = false;
  /** true when the root object had been seen to its end */
  rootEnded = false;

  private depth = 0;
  private expect: Expect = 'root';
  private inString = false;
  private escapePending = false;
  private inFeatures = false;
  private rootIsArray = false;
  private capture: CaptureKind | null = null;
  private captureStart = -1;
  private captureDepth = 0;
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private key = '';
  /** stream offset of the start of the current chunk */
  private base = 0;
  /** features of the `features` array begun so far (the reader drains `features` as it goes) */
  private featureNo = 0;

  /** features emitted so far (all of them, whoever drained them): the next one is number emitted + 1 */
  private emitted = 0;

  /** stream offset where the current capture began */
  private captureAt = 0;
  /** `features` arrays begun so far */
  private arrays = 0;

  /**
   * `skip(n)`: the n-th feature (from 1, as emitted) of the `features` array is only scanned, not
   * parsed (another worker's share); `located` hears where each skipped feature is in the stream:
   * its first byte, the byte after its last, and which `features` array (1, 2, … in a sequence of
   * FeatureCollections) it is an element of.
   */
  constructor(
    private readonly limits: ScannerLimits,
    private readonly skip?: (featureNo: number) => boolean,
    private readonly located?: (start: number, end: number, array: number) => void,
  ) {}

  /** Scan the next chunk of the stream. Throws JsonScanError. */
  write(buf: Buffer): void {
    const n = buf.length;
    let i = 0;
    while (i < n) {
      if (this.inString) i = this.skipString(buf, i);
      else if (this.capture === 'feature' && this.depth > 2) i = this.scanFeature(buf, i);
      else i = this.step(buf, i);
    }
    if (this.capture !== null) {
      const start = Math.max(this.captureStart, 0);
      this.parts.push(buf.subarray(start, n));
      this.partsBytes += n - start;
      this.captureStart = 0;
      this.checkItemSize(0);
    }
    this.base += n;
  }

  /** The stream has ended: anything unfinished is an error. */
  end(): void {
    if (this.depth !== 0 || this.inString || this.capture !== null) {
      throw new JsonScanError('the JSON ends in the middle of a value (truncated file?)', 'bad_json', this.base);
    }
    if (this.expect === 'root' && !this.rootEnded) throw new JsonScanError('the file holds no JSON object', 'not_geojson', 0);
  }

  private checkItemSize(upTo: number): void {
    const size = this.partsBytes + upTo - this.captureStart;
    if (size > this.limits.maxItemBytes) {
      const what = this.capture === 'feature' ? 'a single feature' : 'a single value';
      throw new JsonScanError(
        `${what} is longer than ${this.limits.maxItemBytes} bytes (at byte ${this.base + upTo})`,
        'line_too_long',
        this.base + upTo,
      );
    }
  }

  private deeper(offset: number): void {
    if (++this.depth > this.limits.maxDepth) {
      throw new JsonScanError(`JSON nested deeper than ${this.limits.maxDepth} levels (at byte ${this.base + offset})`, 'too_deep', this.base + offset);
    }
  }

  /** Inside a string: jump to its closing quote (or the end of the chunk). */
  private skipString(buf: Buffer, from: number): number {
    let i = from;
    if (this.escapePending) {
      this.escapePending = false;
      i++;
    }
    for (;;) {
      const q = buf.indexOf(QUOTE, i);
      if (q < 0) {
        let k = buf.length - 1;
        while (k >= i && buf[k] === BACKSLASH) k--;
        this.escapePending = (buf.length - 1 - k) % 2 === 1;
        return buf.length;
      }
      let k = q - 1;
      while (k >= i && buf[k] === BACKSLASH) k--;
      if ((q - 1 - k) % 2 === 0) {
        this.inString = false;
        if (this.capture === 'key' || (this.capture === 'member' && this.depth === 1)) this.finishCapture(buf, q + 1);
        return q + 1;
      }
      i = q + 1;
    }
  }

  /** The hot loop: inside a feature, only strings and brackets matter. Its short strings are skipped
   * here (a native indexOf per string cost more than the string); one past the chunk by skipString. */
  private scanFeature(buf: Buffer, from: number): number {
    const n = buf.length;
    for (let i = from; i < n; i++) {
      const c = buf[i] ?? 0;
      if (c < OPEN_ARRAY) {
        if (c !== QUOTE) continue;
        let j = i + 1;
        for (;;) {
          if (j >= n) {
            this.inString = true;
            this.escapePending = j > n;
            return n;
          }
          const b = buf[j];
          if (b === QUOTE) break;
          j += b === BACKSLASH ? 2 : 1;
        }
        i = j;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) this.deeper(i);
      else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --this.depth === 2) {
        this.finishCapture(buf, i + 1);
        return i + 1;
      }
    }
    return n;
  }

  private emit(feature: unknown): void {
    this.emitted++;
    this.features.push(feature);
  }

  private startCapture(kind: CaptureKind, at: number): void {
    if (kind === 'feature') this.featureNo++;
    this.captureAt = this.base + at;
    this.capture = kind;
    this.captureStart = at;
    this.captureDepth = this.depth;
  }

  private finishCapture(buf: Buffer, end: number): void {
    this.checkItemSize(end);
    if (this.capture === 'feature' && this.skip?.(this.emitted + 1)) {
      this.located?.(this.captureAt, this.base + end, this.arrays);
      this.capture = null;
      this.parts = [];
      this.partsBytes = 0;
      this.captureStart = -1;
      this.emit(SKIPPED);
      this.expect = 'comma';
      return;
    }
    const bytes = this.parts.length > 0 ? Buffer.concat([...this.parts, buf.subarray(0, end)]) : buf.subarray(this.captureStart, end);
    const kind = this.capture;
    this.capture = null;
    this.parts = [];
    this.partsBytes = 0;
    this.captureStart = -1;
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      const what = kind === 'feature' ? `feature ${this.emitted + 1}` : kind === 'key' ? 'a member name' : `member "${this.key}"`;
      throw new JsonScanError(`invalid JSON in ${what} (${(err as Error).message})`, 'bad_json', this.base + end);
    }
    if (kind === 'key') {
      this.key = String(value);
      this.expect = 'colon';
    } else if (kind === 'member') {
      this.members.set(this.key, value);
      this.expect = 'comma';
    } else {
      this.emit(value);
      this.expect = 'comma';
    }
  }

  private notGeoJson(i: number, what: string): JsonScanError {
    return new JsonScanError(`not GeoJSON: ${what} at byte ${this.base + i}`, 'not_geojson', this.base + i);
  }

  /** One structural byte outside the hot loop. */
  private step(buf: Buffer, i: number): number {
    const c = buf[i] ?? 0;
    if (this.capture !== null) return this.stepInCapture(buf, i, c);
    if (isSpace(c)) return i + 1;
    if (this.rootIsArray) return this.stepRootArray(i, c);
    switch (this.expect) {
      case 'root':
        return this.stepRoot(i, c);
      case 'key':
        if (c === QUOTE) {
          this.startCapture('key', i);
          this.inString = true;
          return i + 1;
        }
        if (c === CLOSE_OBJECT) return this.closeRoot(i);
        throw this.notGeoJson(i, 'expected a member name');
      case 'colon':
        if (c !== COLON) throw this.notGeoJson(i, 'expected ":"');
        this.expect = 'value';
        return i + 1;
      case 'value':
        return this.startValue(i, c);
      case 'element':
        return this.startElement(i, c);
      case 'comma':
        return this.stepComma(i, c);
    }
  }

  private stepRoot(i: number, c: number): number {
    if (c === OPEN_OBJECT) {
      this.deeper(i);
      this.members.clear();
      this.sawFeatures = false;
      this.rootEnded = false;
      this.expect = 'key';
      return i + 1;
    }
    if (c === OPEN_ARRAY) {
      this.rootIsArray = true;
      this.deeper(i);
      return i + 1;
    }
    throw this.notGeoJson(i, 'the file does not start with a JSON object');
  }

  /** A root array is not GeoJSON, but nesting is still checked first so that deep input says so. */
  private stepRootArray(i: number, c: number): number {
    if (c === OPEN_ARRAY) {
      this.deeper(i);
      return i + 1;
    }
    throw this.notGeoJson(i, 'the top level is an array, not a GeoJSON object');
  }

  private closeRoot(i: number): number {
    this.depth--;
    this.expect = 'root';
    this.rootEnded = true;
    this.emitTopLevel();
    return i + 1;
  }

  /** A root that is itself a Feature or a geometry becomes one feature. */
  private emitTopLevel(): void {
    const type = this.members.get('type');
    if (type === 'FeatureCollection' || this.sawFeatures) return;
    if (type === 'Feature') {
      this.emit(Object.fromEntries(this.members));
      return;
    }
    if (typeof type === 'string' && /^(Multi)?(Point|LineString|Polygon)$|^GeometryCollection$/.test(type)) {
      this.emit({ type: 'Feature', geometry: Object.fromEntries(this.members), properties: {} });
      return;
    }
    throw new JsonScanError(`not GeoJSON: the top-level object has type ${JSON.stringify(type) ?? '(none)'}`, 'not_geojson', this.base);
  }

  private startValue(i: number, c: number): number {
    if (this.key === 'features' && c === OPEN_ARRAY) {
      this.deeper(i);
      this.inFeatures = true;
      this.sawFeatures = true;
      this.arrays++;
      this.expect = 'element';
      return i + 1;
    }
    if (c === COMMA || c === COLON || c === CLOSE_OBJECT || c === CLOSE_ARRAY) throw this.notGeoJson(i, `member "${this.key}" has no value`);
    this.startCapture('member', i);
    return this.stepInCapture(Buffer.alloc(0), i, c, true);
  }

  private startElement(i: number, c: number): number {
    if (c === CLOSE_ARRAY) return this.closeFeatures(i);
    this.startCapture('feature', i);
    if (c === OPEN_OBJECT) {
      this.deeper(i);
      return i + 1;
    }
    throw this.notGeoJson(i, `feature ${this.featureNo} is not an object`);
  }

  private closeFeatures(i: number): number {
    this.depth--;
    this.inFeatures = false;
    this.expect = 'comma';
    return i + 1;
  }

  private stepComma(i: number, c: number): number {
    if (c === COMMA) {
      this.expect = this.inFeatures ? 'element' : 'key';
      return i + 1;
    }
    if (this.inFeatures && c === CLOSE_ARRAY) return this.closeFeatures(i);
    if (!this.inFeatures && c === CLOSE_OBJECT) return this.closeRoot(i);
    throw this.notGeoJson(i, 'expected "," between values');
  }

  /**
   * Inside a captured member value (or a feature at its own depth): track brackets and strings;
   * a primitive member ends at the next ',' or '}' on the root level.
   */
  private stepInCapture(buf: Buffer, i: number, c: number, first = false): number {
    if (c === QUOTE) {
      this.inString = true;
      return i + 1;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      this.deeper(i);
      return i + 1;
    }
    const atOwnLevel = this.depth === this.captureDepth;
    if ((c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY) && atOwnLevel && !first) {
      this.finishCapture(buf, i);
      return i;
    }
    if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      this.depth--;
      if (this.depth === this.captureDepth) this.finishCapture(buf, i + 1);
      return i + 1;
    }
    return i + 1;
  }
}
