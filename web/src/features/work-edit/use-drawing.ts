/**
 * The draw controller on the current map, for the editor: created when the map is there, removed
 * with it. Hands out the live geometry (for the measure, at most once per frame) and calls back
 * when a geometry is complete or the drawing was cancelled (Escape).
 */
import type { Geometry } from 'geojson';
import type * as maplibregl from 'maplibre-gl';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { DrawController, DrawKind, DrawnGeometry } from '../../map/draw-controller.ts';

export interface DrawingState {
  /** Drawing or editing vertices on the map. */
  active: boolean;
  kind: DrawKind | null;
  /** Drawing a new geometry vertex by vertex, or editing the vertices of a complete one. */
  phase: 'drawing' | 'editing' | null;
  /** The geometry as it is being drawn (pointer included); null when none. */
  live: DrawnGeometry | null;
}

export interface DrawingHandlers {
  onFinish: (geometry: DrawnGeometry) => void;
  onCancel: () => void;
}

export interface UseDrawing {
  state: DrawingState;
  /** A map to draw on is there. */
  ready: boolean;
  start: (kind: DrawKind, initial?: DrawnGeometry | null) => boolean;
  stop: () => void;
}

const IDLE: DrawingState = { active: false, kind: null, phase: null, live: null };

export function useDrawing(map: maplibregl.Map | null, handlers: DrawingHandlers, snapGeometries: () => readonly (Geometry | null | undefined)[]): UseDrawing {
  const [state, setState] = useState<DrawingState>(IDLE);
  const [loaded, setLoaded] = useState(false);
  const controller = useRef<DrawController | null>(null);
  const live = useRef({ handlers, snapGeometries });
  useLayoutEffect(() => {
    live.current = { handlers, snapGeometries };
  });

  useEffect(() => {
    if (!map) return;
    let frame = 0;
    let pending: DrawnGeometry | null = null;
    let c: DrawController | null = null;
    let gone = false;
    // terra-draw comes in its own chunk, once there is a map to draw on
    void import('../../map/draw-controller.ts').then(({ createDrawController }) => {
      if (gone) return;
      c = createDrawController(map, {
        snapGeometries: () => live.current.snapGeometries(),
        onChange: (geometry) => {
          pending = geometry;
          cancelAnimationFrame(frame);
          frame = requestAnimationFrame(() => setState((s) => (s.active ? { ...s, live: pending } : s)));
        },
        onFinish: (geometry) => {
          setState((s) => (s.active ? { ...s, phase: 'editing', live: geometry } : s));
          live.current.handlers.onFinish(geometry);
        },
        onCancel: () => {
          cancelAnimationFrame(frame);
          setState(IDLE);
          live.current.handlers.onCancel();
        },
      });
      controller.current = c;
      setLoaded(true);
    });
    return () => {
      gone = true;
      cancelAnimationFrame(frame);
      c?.destroy();
      controller.current = null;
      setLoaded(false);
      setState(IDLE);
    };
  }, [map]);

  const start = useCallback((kind: DrawKind, initial?: DrawnGeometry | null): boolean => {
    const c = controller.current;
    if (!c) return false;
    c.start(kind, initial ?? null);
    setState({ active: true, kind, phase: initial ? 'editing' : 'drawing', live: initial ?? null });
    return true;
  }, []);

  const stop = useCallback(() => {
    controller.current?.stop();
    setState(IDLE);
  }, []);

  return { state, ready: map !== null && loaded, start, stop };
}
