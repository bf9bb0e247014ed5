/**
 * The networks' vector tiles in one tileset (decision 120): `/tiles/networks/{z}/{x}/{y}.mvt?layers=a,b`
 * answers one tile holding a source-layer per vital system listed (each the same bytes as
 * `/tiles/{system}/{z}/{x}/{y}.mvt`: MVT layers are repeated protobuf fields, so tiles concatenate).
 * The map then keeps one vector source for all networks instead of one per system. Shared by the
 * API (parsing) and the web client (building the URL), so both agree on the parameter.
 */
import { isSystemCode, type SystemCode } from './systems.ts';

export const NETWORKS_TILESET = 'networks';

/** `layers=a,b,c` in the given order (the order of the source-layers in each tile). */
export function networkLayersParam(codes: readonly SystemCode[]): string {
  return `layers=${codes.join(',')}`;
}

export type ParsedNetworkLayers = { ok: true; codes: SystemCode[] } | { ok: false; problem: string };

/** The `layers` query parameter: one or more distinct system codes, comma-separated. */
export function parseNetworkLayers(value: unknown): ParsedNetworkLayers {
  if (typeof value !== 'string' || value.trim() === '') return { ok: false, problem: 'the query parameter layers is missing: give one or more system codes, comma-separated (layers=drinkwater,gas_ld)' };
  const codes: SystemCode[] = [];
  for (const [i, raw] of value.split(',').entries()) {
    const code = raw.trim();
    if (!isSystemCode(code)) return { ok: false, problem: `layers item ${i + 1} '${code}' is not a vital system code` };
    if (codes.includes(code)) return { ok: false, problem: `layers item ${i + 1} '${code}' is listed twice` };
    codes.push(code);
  }
  return { ok: true, codes };
}
