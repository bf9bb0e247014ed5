/**
 * Drawing and editing one geometry (the footprint of a work or a moratorium) on the MapLibre map
 * with terra-draw: a new line or polygon vertex by vertex (double click or Enter finishes), or an
 * existing one with draggable vertices, midpoints to add one and right click to remove one.
 * A finished drawing switches to editing at once, so the user can correct it. The pointer snaps
 * to the networks under it (they follow the streets) and to the vertices of other works; Alt
 * held down draws freely. Escape cancels.
 */
import { SYSTEM_CODES } from '@model/systems.ts';
import type { Geometry, LineString, Polygon, Position } from 'geojson';
import type * as maplibregl from 'maplibre-gl';
import {
  TerraDraw,
  TerraDrawLineStringMode,
  TerraDrawPolygonMode,
  TerraDrawSelectMode,
  type GeoJSONStoreFeatures,
  type SnapToCustom,
  type TerraDrawMouseEvent,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import { SNAP_TOLERANCE_PX, boxAround, linesOf, snapLayerIds, snapPosition, verticesInBox } from './snapping.ts';

export type DrawKind = 'linestring' | 'polygon';
export type DrawnGeometry = LineString | Polygon;

export interface DrawControllerOptions {
  /** The geometry while it is drawn or edited (the pointer's position included); null once cleared. */
  onChange?: (geometry: DrawnGeometry | null) => void;
  /** A complete geometry: drawing finished, or a vertex edit ended. */
  onFinish?: (geometry: DrawnGeometry) => void;
  /** The user cancelled (Escape). */
  onCancel?: () => void;
  /** Geometries whose vertices the pointer snaps to (other works); asked on each pointer move. */
  snapGeometries?: () => readonly (Geometry | null | undefined)[];
  /** Snapping distance in CSS pixels. */
  tolerancePx?: number;
}

export interface DrawController {
  /** Draw a new geometry of `kind`, or edit `initial` (its vertices draggable). Replaces what was being drawn. */
  start(kind: DrawKind, initial?: DrawnGeometry | null): void;
  /** Stop drawing and clear the drawing; onCancel runs. */
  cancel(): void;
  /** Stop drawing and clear the drawing, quietly (after saving or closing the editor). */
  stop(): void;
  /** The current geometry (complete or not); null when none. */
  current(): DrawnGeometry | null;
  readonly active: boolean;
  /** Remove everything from the map; the controller is unusable afterwards. */
  destroy(): void;
}

const COLOR = '#d6336c';
const EDIT_FLAGS = {
  feature: {
    draggable: true,
    coordinates: { draggable: true, midpoints: true, deletable: true },
  },
};

const isDrawn = (f: GeoJSONStoreFeatures | undefined): f is GeoJSONStoreFeatures<LineString | Polygon> =>
  f !== undefined && (f.geometry.type === 'LineString' || f.geometry.type === 'Polygon');

const isEditable = (target: EventTarget | null): boolean => {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
};

function copy(geometry: DrawnGeometry): DrawnGeometry {
  return JSON.parse(JSON.stringify(geometry)) as DrawnGeometry;
}

export function createDrawController(map: maplibregl.Map, options: DrawControllerOptions = {}): DrawController {
  const tolerance = options.tolerancePx ?? SNAP_TOLERANCE_PX;
  let snapLayers: string[] = [];
  let featureId: string | number | null = null;
  let active = false;
  let destroyed = false;

  const toCustom: SnapToCustom = (event: TerraDrawMouseEvent) => {
    if (event.heldKeys.includes('Alt')) return undefined;
    const point = { x: event.containerX, y: event.containerY };
    const features = snapLayers.length === 0
      ? []
      : map.queryRenderedFeatures([[point.x - tolerance, point.y - tolerance], [point.x + tolerance, point.y + tolerance]], { layers: snapLayers });
    const lines = features.flatMap((f) => linesOf(f.geometry));
    const box = boxAround(point, tolerance, (p) => {
      const ll = map.unproject([p.x, p.y]);
      return [ll.lng, ll.lat];
    });
    const vertices = verticesInBox(options.snapGeometries?.() ?? [], box);
    const project = (p: Position) => map.project([p[0] ?? 0, p[1] ?? 0]);
    return snapPosition([event.lng, event.lat], { lines, vertices }, project, tolerance);
  };
  const snapping = { toCustom };
  const keyEvents = { cancel: null, finish: 'Enter' };

  const draw = new TerraDraw({
    adapter: new TerraDrawMapLibreGLAdapter({ map, coordinatePrecision: 7 }),
    modes: [
      new TerraDrawLineStringMode({ snapping, keyEvents, styles: { lineStringColor: COLOR, lineStringWidth: 4 } }),
      new TerraDrawPolygonMode({ snapping, keyEvents, styles: { fillColor: COLOR, fillOpacity: 0.2, outlineColor: COLOR, outlineWidth: 3 } }),
      new TerraDrawSelectMode({
        keyEvents: null,
        allowManualDeselection: false,
        flags: {
          linestring: { feature: { ...EDIT_FLAGS.feature, coordinates: { ...EDIT_FLAGS.feature.coordinates, snappable: snapping } } },
          polygon: { feature: { ...EDIT_FLAGS.feature, coordinates: { ...EDIT_FLAGS.feature.coordinates, snappable: snapping } } },
        },
        styles: { selectedLineStringColor: COLOR, selectedPolygonColor: COLOR, selectedPolygonOutlineColor: COLOR, selectedPolygonFillOpacity: 0.2 },
      }),
    ],
  });
  draw.start();

  const drawnFeature = (): GeoJSONStoreFeatures<LineString | Polygon> | undefined => {
    if (featureId !== null) {
      const f = draw.getSnapshotFeature(featureId);
      if (isDrawn(f)) return f;
    }
    return draw.getSnapshot().find(isDrawn);
  };

  draw.on('change', (_ids, type) => {
    if (!active || type === 'styling') return;
    const f = drawnFeature();
    options.onChange?.(f ? copy(f.geometry) : null);
  });

  draw.on('finish', (id, context) => {
    if (!active) return;
    const f = draw.getSnapshotFeature(id);
    if (!isDrawn(f)) return;
    featureId = id;
    options.onFinish?.(copy(f.geometry));
    // a finished drawing is edited at once (its vertices draggable); after the event has been handled
    if (context.action === 'draw') {
      window.setTimeout(() => {
        if (active && !destroyed && draw.hasFeature(id)) draw.selectFeature(id);
      }, 0);
    }
  });

  const onKeyDown = (e: KeyboardEvent): void => {
    if (!active || e.key !== 'Escape' || e.defaultPrevented || isEditable(e.target)) return;
    controller.cancel();
  };
  document.addEventListener('keydown', onKeyDown);

  function clear(): void {
    active = false;
    featureId = null;
    if (destroyed) return;
    draw.setMode('static');
    draw.clear();
  }

  const controller: DrawController = {
    get active() {
      return active;
    },
    start(kind, initial) {
      if (destroyed) return;
      clear();
      const order = map.getLayersOrder();
      snapLayers = snapLayerIds(order, SYSTEM_CODES);
      active = true;
      if (initial) {
        const id = draw.getFeatureId();
        const [result] = draw.addFeatures([{ id, type: 'Feature', geometry: copy(initial), properties: { mode: kind } }]);
        if (result?.valid) {
          featureId = id;
          draw.selectFeature(id);
          options.onChange?.(copy(initial));
          return;
        }
      }
      draw.setMode(kind);
    },
    cancel() {
      if (!active) return;
      clear();
      options.onCancel?.();
    },
    stop() {
      clear();
    },
    current() {
      const f = active ? drawnFeature() : undefined;
      return f ? copy(f.geometry) : null;
    },
    destroy() {
      if (destroyed) return;
      active = false;
      destroyed = true;
      document.removeEventListener('keydown', onKeyDown);
      try {
        draw.stop();
      } catch {
        // the map was removed first: its layers went with it
      }
    },
  };
  return controller;
}
