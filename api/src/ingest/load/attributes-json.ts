/**
 * The `attributes` json of a COPY row written straight into the row's buffer: the feature's
 * properties without the ones its columns hold (held-attributes.ts), as the same text that
 * `jsonText(remainingAttributes(…))` gives, but without building the smaller object and its JSON
 * string first. Keys repeat from feature to feature, so their JSON is kept as bytes; numbers,
 * booleans and plain ASCII strings are written as they are; anything else goes through
 * JSON.stringify, so escaping stays JSON.stringify's own. Decision 112 in docs/architecture.md.
 */
import type { PropertyValue } from '../formats/types.ts';
import type { HeldField } from '../mapping/held-attributes.ts';
import { BACKSLASH, CLOSE_OBJECT, COMMA, OPEN_OBJECT, QUOTE } from '../formats/json-scanner.ts';
import { type BinaryRows, jsonText } from './copy-binary.ts';

/** keys whose JSON is kept (a file with a new key in every feature must not grow the cache without end) */
const MAX_KEYS = 512;

/** printable ASCII without `"` and `\`: JSON.stringify writes it as it is */
function plainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) return false;
  }
  return true;
}

/** what is known of one property name: its JSON (`"key":`) and which held field it is, or -1 */
interface KeyInfo {
  json: Buffer;
  field: number;
}

export class AttributesJson {
  private readonly keys = new Map<string, KeyInfo>();
  /** the held fields the cached field numbers belong to */
  private fields: readonly HeldField[] = [];

  /** `"key":` as JSON bytes, without the NUL escapes json refuses, and its held field */
  private key(key: string, fields: readonly HeldField[]): KeyInfo {
    if (fields !== this.fields) {
      this.keys.clear();
      this.fields = fields;
    }
    const known = this.keys.get(key);
    if (known !== undefined) return known;
    const info = { json: Buffer.from(`${jsonText(key)}:`, 'utf8'), field: fields.findIndex((f) => f.field === key) };
    if (this.keys.size < MAX_KEYS) this.keys.set(key, info);
    return info;
  }

  /** The json field of `props` without the fields `mask` leaves out (held-attributes.ts heldMask). */
  write(out: BinaryRows, props: Readonly<Record<string, PropertyValue>>, fields: readonly HeldField[], mask: number): void {
    out.openField().char(OPEN_OBJECT);
    let first = true;
    // for-in walks a plain object's own keys in Object.keys order without making an array (the
    // readers' property objects inherit nothing enumerable)
    for (const key in props) {
      const v = props[key];
      // JSON.stringify leaves out what has no JSON (not a property value, but a reader may slip)
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      const k = this.key(key, fields);
      if (mask !== 0 && k.field >= 0 && (mask & (1 << k.field)) !== 0) continue;
      if (!first) out.char(COMMA);
      first = false;
      out.piece(k.json);
      value(out, v);
    }
    out.char(CLOSE_OBJECT).closeField();
  }
}

function value(out: BinaryRows, v: PropertyValue): void {
  if (typeof v === 'number') out.pieceText(Number.isFinite(v) ? String(v) : 'null');
  else if (typeof v === 'string' && plainAscii(v)) out.char(QUOTE).pieceText(v).char(QUOTE);
  else if (typeof v === 'boolean') out.pieceText(v ? 'true' : 'false');
  else if (v === null) out.pieceText('null');
  else out.pieceText(jsonText(v));
}
