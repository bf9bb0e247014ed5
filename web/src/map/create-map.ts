/**
 * Creating the MapLibre map with its controls and the deck.gl overlay for the
 * planned works. Called once per MapView mount.
 */
import { MapLibreOverlay } from '@deck.gl/maplibre';
import * as maplibregl from 'maplibre-gl';
import type { StyleSpecification } from 'maplibre-gl';
import type { Bbox } from '../api/types.ts';
import type { Language } from '../i18n/index.ts';
import type { MapCamera } from '../state/url-state.ts';
import { RASTER_BASEMAP_SOURCE } from '../layers/build-style.ts';
import { type FramePacing, type PacedMap, paceFramesToGpu } from './gpu-pacing.ts';
import { mapLocale } from './map-locale.ts';

export const NETHERLANDS_CENTER: [number, number] = [5.3, 52.15];
export const NETHERLANDS_ZOOM = 6.8;

/** Source attributions, also shown when no tile of that source has been drawn yet. */
export const ATTRIBUTIONS = ['Gemeentegrenzen © CBS/Kadaster, CC BY 4.0', 'KLIC-voorbeeldleveringen Kadaster'];

export interface CreateMapOptions {
  container: HTMLElement;
  style: StyleSpecification;
  extent: Bbox | null;
  /** A shared link's view (issue 8): used instead of the fit to the extent. */
  camera?: MapCamera | null | undefined;
  language: Language;
}

export interface CreatedMap {
  map: maplibregl.Map;
  overlay: MapLibreOverlay;
  /** frames put off while the GPU is behind (gpu-pacing.ts) */
  pacing: FramePacing;
}

function initialCamera(shared: MapCamera | null | undefined, extent: Bbox | null): Partial<maplibregl.MapOptions> {
  if (shared) return { center: [shared.center[0], shared.center[1]], zoom: shared.zoom, bearing: shared.bearing, pitch: shared.pitch };
  return extent ? { bounds: extent, fitBoundsOptions: { padding: 40, maxZoom: 18 } } : { center: NETHERLANDS_CENTER, zoom: NETHERLANDS_ZOOM };
}

export function createMap({ container, style, extent, camera: shared, language }: CreateMapOptions): CreatedMap {
  const camera = initialCamera(shared, extent);
  const map = new maplibregl.Map({
    container,
    style,
    ...camera,
    attributionControl: false,
    locale: mapLocale(language),
    maxZoom: 22,
    dragRotate: false,
    pitchWithRotate: false,
    // No style here has symbols or rasters, the only things MapLibre fades. With a fade time it
    // still redraws every frame for 300 ms after each whole zoom level is crossed (its cross-fade
    // factor), each such frame a full redraw of the dense tiles (decision 119)
    fadeDuration: 0,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
  map.addControl(new maplibregl.ScaleControl({ maxWidth: 120, unit: 'metric' }), 'bottom-left');
  map.addControl(new maplibregl.AttributionControl({ customAttribution: ATTRIBUTIONS }), 'bottom-right');
  map.on('error', (event) => handleMapError(event));
  // deck.gl writes getCursor() into the map canvas's style on every frame of its own (default:
  // 'grab'), which overwrote the pointer over a work and the crosshair of route drawing: the map's
  // code owns the canvas cursor, so deck.gl writes back what is there
  const overlay = new MapLibreOverlay({ interleaved: true, layers: [], getCursor: () => map.getCanvas().style.cursor });
  map.addControl(overlay);
  // MapLibre made a WebGL 2 context when the browser has one: this returns the same context, or null
  const pacing = paceFramesToGpu(map as unknown as PacedMap, map.getCanvas().getContext('webgl2'));
  return { map, overlay, pacing };
}

/**
 * The optional online basemap may be unreachable (offline use is normal):
 * its tile errors are dropped. Other map errors go to the console only; data
 * problems reach the user through the API notices.
 */
function handleMapError(event: unknown): void {
  if (typeof event !== 'object' || event === null) return;
  if ('sourceId' in event && event.sourceId === RASTER_BASEMAP_SOURCE) return;
  const error = 'error' in event ? event.error : event;
  console.warn('[map]', error);
}
