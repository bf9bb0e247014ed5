/**
 * WKT coordinate-system text (a shapefile's .prj, a GeoPackage/FlatGeobuf definition) → EPSG code.
 *
 * Reads the authority of the root CRS (`ID["EPSG",28992]` in WKT2, `AUTHORITY["EPSG","28992"]` in
 * WKT1) and otherwise recognises the names ESRI and GDAL write for the coordinate systems found in
 * Dutch data. Anything that is not WKT (a URL, a bare code, an empty file) gives null: the caller
 * then guesses from the coordinates. Nothing is ever fetched.
 */

export interface PrjMatch {
  epsg: number;
  /** e.g. 'PROJCS["RD_New", ...] (name RD_New)' */
  detail: string;
}

const WKT_ROOTS = /^(PROJCS|GEOGCS|GEOCCS|COMPD_CS|PROJCRS|PROJECTEDCRS|GEOGCRS|GEOGRAPHICCRS|GEODCRS|GEODETICCRS|BOUNDCRS|COMPOUNDCRS)\s*\[/i;

/** Normalised root names (lower case, runs of non-alphanumerics → one space) → EPSG. */
const NAMES: ReadonlyMap<string, number> = new Map([
  ['amersfoort rd new', 28992],
  ['rd new', 28992],
  ['rd new amersfoort', 28992],
  ['rijksdriehoekstelsel new', 28992],
  ['amersfoort', 4289],
  ['gcs amersfoort', 4289],
  ['wgs 84', 4326],
  ['wgs84', 4326],
  ['gcs wgs 1984', 4326],
  ['etrs89', 4258],
  ['gcs etrs 1989', 4258],
  ['etrs 1989', 4258],
  ['wgs 84 pseudo mercator', 3857],
  ['wgs 1984 web mercator auxiliary sphere', 3857],
  ['wgs 1984 web mercator', 3857],
  ['pseudo mercator', 3857],
  ['etrs89 utm zone 31n', 25831],
  ['etrs 1989 utm zone 31n', 25831],
  ['etrs89 utm zone 32n', 25832],
  ['etrs 1989 utm zone 32n', 25832],
  ['wgs 84 utm zone 31n', 32631],
  ['wgs 1984 utm zone 31n', 32631],
  ['wgs 84 utm zone 32n', 32632],
  ['wgs 1984 utm zone 32n', 32632],
]);

const GEOGRAPHIC: ReadonlySet<number> = new Set([4326, 4258, 4289]);
const GEOGRAPHIC_ROOTS: ReadonlySet<string> = new Set(['GEOGCS', 'GEOGCRS', 'GEOGRAPHICCRS', 'GEODCRS', 'GEODETICCRS']);

interface WktNode {
  keyword: string;
  /** quoted strings and bare numbers/words directly inside this node, in order */
  values: string[];
  children: WktNode[];
}

const MAX_WKT_DEPTH = 32;

/** A small bracket parser: keyword[ value, value, child[...], ... ]. Returns null on malformed input. */
function parseWkt(text: string): WktNode | null {
  const tokens = text.match(/"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_]*\s*[[(]|[\])]|[^,\s[\]()"]+/g);
  if (!tokens) return null;
  const stack: WktNode[] = [];
  let root: WktNode | null = null;
  for (const token of tokens) {
    const top = stack[stack.length - 1];
    if (/[[(]$/.test(token)) {
      const node: WktNode = { keyword: token.slice(0, -1).trim().toUpperCase(), values: [], children: [] };
      if (top) top.children.push(node);
      else if (root) return null;
      else root = node;
      stack.push(node);
      if (stack.length > MAX_WKT_DEPTH) return null;
    } else if (token === ']' || token === ')') {
      if (!stack.pop()) return null;
    } else if (top) {
      top.values.push(token.startsWith('"') ? token.slice(1, -1).replace(/""/g, '"') : token);
    }
  }
  return stack.length === 0 ? root : null;
}

function authorityCode(node: WktNode): number | null {
  for (const child of node.children) {
    if (child.keyword !== 'AUTHORITY' && child.keyword !== 'ID') continue;
    const [org, code] = child.values;
    if (org?.toUpperCase() === 'EPSG' && code !== undefined && /^\d+$/.test(code)) return Number(code);
  }
  return null;
}

function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/** The horizontal CRS node: unwraps BOUNDCRS[SOURCECRS[...]] and compound CRSs. */
function horizontalCrs(root: WktNode): WktNode {
  if (root.keyword === 'BOUNDCRS') {
    const inner = root.children.find((c) => c.keyword === 'SOURCECRS')?.children[0];
    return inner ? horizontalCrs(inner) : root;
  }
  if (root.keyword === 'COMPD_CS' || root.keyword === 'COMPOUNDCRS') {
    const first = root.children[0];
    return first && authorityCode(root) === null ? horizontalCrs(first) : root;
  }
  return root;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

/** True when `text` looks like WKT (starts with a CRS keyword and a bracket). */
export function looksLikeWkt(text: string): boolean {
  return WKT_ROOTS.test(text.replace(/^\uFEFF/, '').trimStart());
}

/**
 * The EPSG code of a WKT CRS, or null when the text is not WKT or names no CRS this module knows.
 * An authority code is returned even when reprojection does not support it (the caller reports it).
 */
export function epsgFromWkt(text: string): PrjMatch | null {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!looksLikeWkt(trimmed)) return null;
  const root = parseWkt(trimmed);
  if (!root) return null;
  const crs = horizontalCrs(root);
  const name = crs.values[0] ?? '';
  const code = authorityCode(crs) ?? (root === crs ? null : authorityCode(root));
  if (code !== null) return { epsg: code, detail: `${shorten(trimmed)} (authority EPSG:${code})` };
  const byName = NAMES.get(normaliseName(name));
  if (byName !== undefined && GEOGRAPHIC.has(byName) === GEOGRAPHIC_ROOTS.has(crs.keyword)) return { epsg: byName, detail: `${shorten(trimmed)} (name ${JSON.stringify(name)})` };
  return null;
}
