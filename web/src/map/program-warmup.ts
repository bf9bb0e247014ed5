/**
 * Shader warm-up: MapLibre compiles a layer type's WebGL program the first time a layer of that
 * kind draws a feature, in the middle of a frame, and the driver's link (a synchronous call) then
 * waits for everything the GPU still has queued. Under a software GPU that was a 0.7–1.8 s task on
 * the first zoom to where the trees appear as points (issue 9, client benchmark). So as soon as
 * the style has loaded (before the first tiles keep the GPU busy), every fill, line and circle
 * layer of the style is drawn once more, with its own paint but an opacity too low to see, from one
 * tiny feature of each geometry type at the centre; at the first idle the copies are removed.
 * Layers added later (a sign-in, an import) get the same for the signatures not drawn before. A
 * program depends on the layer type and on which paint properties are data-driven, not on their
 * values, so one copy per such signature is enough.
 */
import type {
  CircleLayerSpecification, FillLayerSpecification, GeoJSONSourceSpecification, LayerSpecification, LineLayerSpecification,
} from 'maplibre-gl';

export const WARMUP_SOURCE = 'samenhang-warmup';
export const WARMUP_PREFIX = 'samenhang-warmup-';
/** Opacity of the copies: above zero (MapLibre skips a layer drawn at 0), below one 8-bit step of colour. */
export const WARMUP_OPACITY = 0.003;

type Warmable = FillLayerSpecification | LineLayerSpecification | CircleLayerSpecification;
const OPACITY: Record<Warmable['type'], readonly string[]> = {
  fill: ['fill-opacity'],
  line: ['line-opacity'],
  circle: ['circle-opacity', 'circle-stroke-opacity'],
};
const PATTERNS = ['fill-pattern', 'line-pattern'];

const isWarmable = (l: LayerSpecification): l is Warmable => l.type === 'fill' || l.type === 'line' || l.type === 'circle';

/** A paint value that depends on the feature (a program attribute rather than a uniform). */
function dataDriven(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  const [op] = value as unknown[];
  if (op === 'get' || op === 'has' || op === 'properties' || op === 'feature-state' || op === 'geometry-type' || op === 'id') return true;
  return value.some((v) => dataDriven(v));
}

/**
 * What a program of this layer depends on: its type and which paint properties are data-driven
 * (attributes); every other property, set or left at its default, is a uniform.
 */
export function programSignature(layer: Warmable): string {
  const paint = (layer.paint ?? {}) as Record<string, unknown>;
  return `${layer.type}|${Object.keys(paint).filter((k) => dataDriven(paint[k])).sort().join(',')}`;
}

/**
 * The warm-up source and layers for a style: one copy per program signature of its fill, line and
 * circle layers, faded to WARMUP_OPACITY. Layers whose opacity is data-driven (it cannot be faded
 * without changing the program) and patterned layers (they need sprite images) are left out.
 */
export function warmUpStyle(style: { layers: readonly LayerSpecification[] }, centre: [number, number]): { source: GeoJSONSourceSpecification; layers: LayerSpecification[] } {
  const [x, y] = centre;
  const d = 1e-6;
  const source: GeoJSONSourceSpecification = {
    type: 'geojson',
    data: {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [x, y] } },
        { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[x, y], [x + d, y]] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x, y + d], [x, y]]] } },
      ],
    },
  };
  const seen = new Set<string>();
  const layers: LayerSpecification[] = [];
  for (const layer of style.layers) {
    if (!isWarmable(layer)) continue;
    const paint = { ...(layer.paint ?? {}) } as Record<string, unknown>;
    if (OPACITY[layer.type].some((k) => dataDriven(paint[k])) || PATTERNS.some((k) => k in paint)) continue;
    const signature = programSignature(layer);
    if (seen.has(signature)) continue;
    seen.add(signature);
    for (const k of OPACITY[layer.type]) paint[k] = WARMUP_OPACITY;
    layers.push({ id: `${WARMUP_PREFIX}${layers.length}`, type: layer.type, source: WARMUP_SOURCE, paint } as LayerSpecification);
  }
  return { source, layers };
}

export interface WarmUpMap {
  getCenter(): { lng: number; lat: number };
  addSource(id: string, source: GeoJSONSourceSpecification): void;
  addLayer(layer: LayerSpecification): void;
  getLayer(id: string): unknown;
  removeLayer(id: string): void;
  getSource(id: string): unknown;
  removeSource(id: string): void;
  once(event: 'idle', listener: () => void): unknown;
}

/**
 * Draws faded copies of `layers` whose program signature is not in `warmed` yet, until the map is
 * next idle, then removes them; returns the signatures drawn (and adds them to `warmed`). Called
 * with the style's layers when it has loaded and with the layers added later (a sign-in or an
 * import brings new networks); each call has a source of its own.
 */
export function warmUpPrograms(map: WarmUpMap, layers: readonly LayerSpecification[], warmed: Set<string>): string[] {
  const c = map.getCenter();
  const planned = warmUpStyle({ layers }, [c.lng, c.lat]);
  const fresh = planned.layers.filter((l) => !warmed.has(programSignature(l as Warmable)));
  if (fresh.length === 0) return [];
  const signatures = fresh.map((l) => programSignature(l as Warmable));
  for (const sig of signatures) warmed.add(sig);
  let n = 0;
  while (map.getSource(`${WARMUP_SOURCE}-${n}`)) n++;
  const source = `${WARMUP_SOURCE}-${n}`;
  const copies = fresh.map((l, i) => ({ ...l, id: `${WARMUP_PREFIX}${n}-${i}`, source }) as LayerSpecification);
  map.addSource(source, planned.source);
  for (const layer of copies) map.addLayer(layer);
  map.once('idle', () => {
    for (const layer of copies) if (map.getLayer(layer.id)) map.removeLayer(layer.id);
    if (map.getSource(source)) map.removeSource(source);
  });
  return signatures;
}
