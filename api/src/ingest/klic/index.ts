/**
 * KLIC / IMKL 2.0 delivery importer: zip → streamed GML → KlicDelivery.
 */
import { basename } from 'node:path';
import { mapDelivery } from './map-delivery.ts';
import { parseGmlStream } from './parse-gml.ts';
import { openGmlEntry } from './read-zip.ts';
import type { KlicDelivery } from './types.ts';

export { KlicImportError } from './types.ts';
export type { KlicAsset, KlicDelivery, KlicOrganisation, KlicWork, RdGeometry } from './types.ts';
export { mapKlicSystem } from './map-asset.ts';

/**
 * Parse a KLIC delivery zip (Levering_*.zip). Throws KlicImportError, whose message starts with the
 * zip's file name, for a broken zip, malformed GML or a geometry not in RD New.
 */
export async function parseKlicZip(path: string): Promise<KlicDelivery> {
  const fileName = basename(path);
  const { entryName, stream } = await openGmlEntry(path);
  const parsed = await parseGmlStream(stream, { fileName, entryName });
  return mapDelivery(parsed, { fileName, gmlEntry: entryName });
}
