/**
 * Drawing the route of a new wijkschouw on the main map (issue 7): "Route tekenen" makes each map
 * click a point of the route; Enter or a double click finishes, Backspace takes the last point
 * back, Escape stops and drops what was drawn. Plain MapLibre clicks rather than a second
 * terra-draw instance: the work editor owns the one draw controller of the map, and a route needs
 * no snapping or vertex editing. While drawing, the map's double-click zoom is off and clicks
 * select nothing (App passes `drawing` on to the map).
 */
import type * as maplibregl from 'maplibre-gl';
import { useCallback, useEffect, useState } from 'react';
import { EMPTY_ROUTE, type RouteDraft, addPoint, finishDrawing, removeLast, startDrawing } from './route-draft.ts';

export interface RouteDrawing {
  draft: RouteDraft;
  start: () => void;
  finish: () => void;
  undo: () => void;
  /** Stop and forget the route (Escape, cancelling the form, after the walk was made). */
  clear: () => void;
}

export function useRouteDrawing(map: maplibregl.Map | null): RouteDrawing {
  const [draft, setDraft] = useState<RouteDraft>(EMPTY_ROUTE);
  const drawing = draft.drawing;
  const start = useCallback(() => setDraft(startDrawing), []);
  const finish = useCallback(() => setDraft(finishDrawing), []);
  const undo = useCallback(() => setDraft(removeLast), []);
  const clear = useCallback(() => setDraft(EMPTY_ROUTE), []);

  useEffect(() => {
    if (!map || !drawing) return;
    const onClick = (e: maplibregl.MapMouseEvent): void => setDraft((d) => addPoint(d, e.lngLat.lng, e.lngLat.lat));
    const onDoubleClick = (e: maplibregl.MapMouseEvent): void => {
      e.preventDefault();
      setDraft(finishDrawing);
    };
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
      if (e.key === 'Enter') setDraft(finishDrawing);
      else if (e.key === 'Backspace') setDraft(removeLast);
      else if (e.key === 'Escape') setDraft(EMPTY_ROUTE);
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    const zoomOnDoubleClick = map.doubleClickZoom.isEnabled();
    map.doubleClickZoom.disable();
    const canvas = map.getCanvasContainer();
    const cursor = canvas.style.cursor;
    canvas.style.cursor = 'crosshair';
    map.on('click', onClick);
    map.on('dblclick', onDoubleClick);
    document.addEventListener('keydown', onKey, true);
    return () => {
      map.off('click', onClick);
      map.off('dblclick', onDoubleClick);
      document.removeEventListener('keydown', onKey, true);
      canvas.style.cursor = cursor;
      if (zoomOnDoubleClick) map.doubleClickZoom.enable();
    };
  }, [map, drawing]);

  return { draft, start, finish, undo, clear };
}
