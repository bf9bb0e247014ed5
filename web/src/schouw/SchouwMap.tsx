/**
 * The phone map: walk area and route, hotspots, GPS position with accuracy, the place chosen by
 * hand. Tapping (or clicking) the map picks a place; keyboard users pan with the arrow keys and use
 * "place = centre of the map" beside it.
 */
import * as maplibregl from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { useEffect, useRef, useState } from 'react';
import type { BasemapConfig } from '../api/types.ts';
import { useSchouwI18n } from './i18n.ts';
import { accuracyCircle, buildSchouwStyle, featureCollection, pointFeature, SRC, walkBounds, walkFeatures } from './map-style.ts';
import type { Walk } from './types.ts';
import type { Fix } from './use-position.ts';

const NETHERLANDS: { center: [number, number]; zoom: number } = { center: [5.3, 52.15], zoom: 6.8 };
const POSITION_ZOOM = 17;
/** MapLibre's control labels in Dutch (as web/src/map/map-locale.ts, not imported: that would share a chunk with the workbench). */
const LOCALE_NL: Record<string, string> = {
  'NavigationControl.ZoomIn': 'Inzoomen',
  'NavigationControl.ZoomOut': 'Uitzoomen',
  'AttributionControl.ToggleAttribution': 'Bronvermelding tonen of verbergen',
  'Map.Title': 'Kaart',
};

export interface MapHandle {
  center(): { lon: number; lat: number };
  goTo(lon: number, lat: number): void;
}

interface Props {
  /** the map is made once this resolves (MapLibre's worker URL is set) */
  workerReady: Promise<void>;
  walk: Walk;
  basemap: BasemapConfig | null;
  hotspots: FeatureCollection;
  fix: Fix | null;
  manual: { lon: number; lat: number } | null;
  onPick: (lon: number, lat: number) => void;
  onReady: (handle: MapHandle | null) => void;
}

function createMap(
  container: HTMLElement,
  initial: { bounds: [number, number, number, number] | null; language: string },
  on: { pick: (lon: number, lat: number) => void; load: (map: maplibregl.Map) => void },
): maplibregl.Map {
  const camera = initial.bounds ? { bounds: initial.bounds, fitBoundsOptions: { padding: 32, maxZoom: 18 } } : NETHERLANDS;
  const map = new maplibregl.Map({
    container,
    style: buildSchouwStyle(null),
    ...camera,
    attributionControl: false,
    locale: initial.language === 'nl' ? LOCALE_NL : {},
    maxZoom: 20,
    dragRotate: false,
    pitchWithRotate: false,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.AttributionControl({ compact: true }), 'bottom-right');
  map.on('click', (event) => on.pick(event.lngLat.lng, event.lngLat.lat));
  map.on('error', (event) => console.warn('[schouw map]', event.error));
  map.on('load', () => on.load(map));
  return map;
}

function handleFor(map: maplibregl.Map): MapHandle {
  return {
    center: () => {
      const c = map.getCenter();
      return { lon: c.lng, lat: c.lat };
    },
    goTo: (lon, lat) => map.easeTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), POSITION_ZOOM) }),
  };
}

function setData(map: maplibregl.Map, source: string, data: FeatureCollection): void {
  const s = map.getSource(source);
  if (s instanceof maplibregl.GeoJSONSource) s.setData(data);
}

export function SchouwMap({ workerReady, walk, basemap, hotspots, fix, manual, onPick, onReady }: Props) {
  const { t, language } = useSchouwI18n();
  const container = useRef<HTMLDivElement | null>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const callbacks = useRef({ onPick, onReady });
  useEffect(() => {
    callbacks.current = { onPick, onReady };
  });
  const bounds = walkBounds(walk);
  const centred = useRef(bounds !== null);
  const initial = useRef({ bounds, language });

  useEffect(() => {
    const el = container.current;
    if (!el) return undefined;
    let created: maplibregl.Map | null = null;
    let gone = false;
    void workerReady.then(() => {
      if (gone) return;
      created = createMap(el, initial.current, {
        pick: (lon, lat) => callbacks.current.onPick(lon, lat),
        load: (loaded) => {
          setMap(loaded);
          callbacks.current.onReady(handleFor(loaded));
        },
      });
    });
    return () => {
      gone = true;
      callbacks.current.onReady(null);
      setMap(null);
      created?.remove();
    };
  }, [workerReady]);

  useEffect(() => {
    if (map) setData(map, SRC.walk, walkFeatures(walk));
  }, [map, walk]);

  useEffect(() => {
    if (!map || !basemap || map.getSource(SRC.basemap)) return;
    map.addSource(SRC.basemap, { type: 'raster', tiles: [...basemap.tiles], tileSize: 256, maxzoom: 19, attribution: basemap.attribution });
    map.addLayer({ id: SRC.basemap, type: 'raster', source: SRC.basemap }, 'walk-area-fill');
  }, [map, basemap]);

  useEffect(() => {
    if (map) setData(map, SRC.hotspots, hotspots);
  }, [map, hotspots]);

  useEffect(() => {
    if (!map) return;
    setData(map, SRC.position, featureCollection(fix ? [pointFeature(fix.lon, fix.lat)] : []));
    const circle = fix && fix.accuracy > 0 ? [{ type: 'Feature' as const, geometry: accuracyCircle(fix.lon, fix.lat, fix.accuracy), properties: {} }] : [];
    setData(map, SRC.accuracy, featureCollection(circle));
    if (fix && !centred.current) {
      centred.current = true;
      map.jumpTo({ center: [fix.lon, fix.lat], zoom: POSITION_ZOOM });
    }
  }, [map, fix]);

  useEffect(() => {
    if (map) setData(map, SRC.manual, featureCollection(manual ? [pointFeature(manual.lon, manual.lat)] : []));
  }, [map, manual]);

  return <div ref={container} className="schouw-map" data-testid="schouw-map" role="region" aria-label={t('mapLabel')} />;
}
