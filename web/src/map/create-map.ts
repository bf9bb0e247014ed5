/**
 * Creating the MapLibre map with its controls and the deck.gl overlay for the
 * planned works. Called once per MapView mount.
 */
import { MapLibreOverlay } from '@deck.gl/maplibre';
import * as maplibregl from 'maplibre-gl';
import type { StyleSpecification } from 'maplibre-gl';
import type { Bbox } from '../api/types.ts';
import type { Language } from '../i18n/index.ts';
import { RASTER_BASEMAP_SOURCE } from '../layers/build-style.ts';
import { mapLocale } from './map-locale.ts';

export const NETHERLANDS_CENTER: [number, number] = [5.3, 52.15];
export const NETHERLANDS_ZOOM = 6.8;

/** Source attributions, also shown when no tile of that source has been drawn yet. */
export const ATTRIBUTIONS = ['Gemeentegrenzen © CBS/Kadaster, CC BY 4.0', 'KLIC-voorbeeldleveringen Kadaster'];

export interface CreateMapOptions {
  container: HTMLElement;
  style: StyleSpecification;
  extent: Bbox | null;
  language: Language;
}

export interface CreatedMap {
  map: maplibregl.Map;
  overlay: MapLibreOverlay;
}

export function createMap({ container, style, extent, language }: CreateMapOptions): CreatedMap {
  const camera: Partial<maplibregl.MapOptions> = extent
    ? { bounds: extent, fitBoundsOptions: { padding: 40, maxZoom: 18 } }
    : { center: NETHERLANDS_CENTER, zoom: NETHERLANDS_ZOOM };
  const map = new maplibregl.Map({
    container,
    style,
    ...camera,
    attributionControl: false,
    locale: mapLocale(language),
    maxZoom: 22,
    dragRotate: false,
    pitchWithRotate: false,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
  map.addControl(new maplibregl.ScaleControl({ maxWidth: 120, unit: 'metric' }), 'bottom-left');
  map.addControl(new maplibregl.AttributionControl({ customAttribution: ATTRIBUTIONS }), 'bottom-right');
  map.on('error', (event) => handleMapError(event));
  const overlay = new MapLibreOverlay({ interleaved: true, layers: [] });
  map.addControl(overlay);
  return { map, overlay };
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
