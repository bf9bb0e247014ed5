/**
 * Frame pacing to the GPU (issue 9, client benchmark). A WebGL call that needs room in the command
 * buffer's transfer memory (a new tile's vertex and index buffers) waits, on the page's main
 * thread, until the GPU has worked through what is queued before it. With a slow GPU (SwiftShader,
 * a weak integrated chip) a frame of a dense network takes seconds, and the next frame's uploads
 * then blocked the page for as long: 1.5–2.8 s tasks on the zoom into z14 of the 1,000,000-segment
 * city, in which no click or key was handled.
 *
 * So each frame ends with a fence, and a frame whose turn comes while the GPU has not yet passed
 * the previous frame's fence is put off to the next animation frame instead of queueing more work
 * behind it. The map shows frames at the pace the GPU can draw them (as it did: the browser shows
 * no frame before the GPU has drawn it) while the main thread stays free for input. A fast GPU has
 * passed the fence before the next animation frame, so nothing changes there. `map.redraw()`
 * (timestamp 0: a synchronous frame someone asked for, e.g. before reading the canvas) is never put off.
 */

/** The part of maplibregl.Map this needs; `_render` is MapLibre's frame (internal, stable since v1). */
export interface PacedMap {
  _render(paintStartTimeStamp: number): unknown;
  triggerRepaint(): void;
}

/** The WebGL 2 calls this needs (a subset of WebGL2RenderingContext, for tests). */
export type FenceGl = Pick<WebGL2RenderingContext, 'fenceSync' | 'getSyncParameter' | 'deleteSync' | 'SYNC_GPU_COMMANDS_COMPLETE' | 'SYNC_STATUS' | 'UNSIGNALED'>;

export interface FramePacing {
  /** frames put off because the GPU had not finished the one before (for the benchmark and tests) */
  readonly deferred: number;
  /** back to MapLibre's own frame */
  stop(): void;
}

/** Pace `map`'s frames to `gl`'s GPU; gl null (WebGL 1, no fences): nothing is done. */
export function paceFramesToGpu(map: PacedMap, gl: FenceGl | null): FramePacing {
  let deferred = 0;
  if (gl === null) return { get deferred() { return deferred; }, stop: () => undefined };
  const render = map._render;
  let fence: WebGLSync | null = null;
  const paced = function (this: PacedMap, paintStartTimeStamp: number): unknown {
    if (fence !== null) {
      // UNSIGNALED only while the GPU is still on it; a lost context answers null, and renders
      if (paintStartTimeStamp !== 0 && gl.getSyncParameter(fence, gl.SYNC_STATUS) === gl.UNSIGNALED) {
        deferred += 1;
        map.triggerRepaint();
        return map;
      }
      gl.deleteSync(fence);
      fence = null;
    }
    const result = render.call(map, paintStartTimeStamp);
    fence = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
    return result;
  };
  map._render = paced;
  return {
    get deferred() { return deferred; },
    stop() {
      if (map._render === paced) map._render = render;
      if (fence !== null) gl.deleteSync(fence);
      fence = null;
    },
  };
}
