/**
 * CRS names as they appear in GeoJSON `crs` members, GML srsName and OGC URLs → EPSG code.
 */

const CRS84 = /^(urn:ogc:def:crs:ogc:(1\.3|[\d.]*):crs84|ogc:crs84|crs84|http:\/\/www\.opengis\.net\/def\/crs\/ogc\/1\.3\/crs84)$/i;
const PATTERNS: readonly RegExp[] = [
  /^epsg:(\d+)$/i,
  /^urn:ogc:def:crs:epsg:[\d.]*:(\d+)$/i,
  /^urn:x-ogc:def:crs:epsg:[\d.]*:?(\d+)$/i,
  /^https?:\/\/www\.opengis\.net\/def\/crs\/epsg\/[\d.]+\/(\d+)$/i,
  /^https?:\/\/www\.opengis\.net\/gml\/srs\/epsg\.xml#(\d+)$/i,
];

/** EPSG code named by `name`, or null. CRS84 (longitude/latitude WGS 84) is 4326. */
export function epsgFromCrsName(name: string): number | null {
  const n = name.trim();
  if (CRS84.test(n)) return 4326;
  for (const re of PATTERNS) {
    const m = re.exec(n);
    if (m?.[1]) return Number(m[1]);
  }
  return null;
}
