import { describe, expect, it } from 'vitest';
import { type FenceGl, type PacedMap, paceFramesToGpu } from './gpu-pacing.ts';

const SYNC_GPU_COMMANDS_COMPLETE = 0x9117;
const SYNC_STATUS = 0x9114;
const UNSIGNALED = 0x9118;
const SIGNALED = 0x9119;

/** A GPU whose fences the test passes by hand; `lost` answers null as a lost context does. */
function fakeGl() {
  const fences: { id: number; done: boolean; deleted: boolean }[] = [];
  let lost = false;
  const gl = {
    SYNC_GPU_COMMANDS_COMPLETE, SYNC_STATUS, UNSIGNALED,
    fenceSync(condition: number, flags: number) {
      expect([condition, flags]).toEqual([SYNC_GPU_COMMANDS_COMPLETE, 0]);
      const f = { id: fences.length, done: false, deleted: false };
      fences.push(f);
      return f as unknown as WebGLSync;
    },
    getSyncParameter(sync: WebGLSync, pname: number) {
      expect(pname).toBe(SYNC_STATUS);
      const f = sync as unknown as (typeof fences)[number];
      expect(f.deleted).toBe(false);
      return lost ? null : f.done ? SIGNALED : UNSIGNALED;
    },
    deleteSync(sync: WebGLSync | null) {
      (sync as unknown as (typeof fences)[number]).deleted = true;
    },
  } as unknown as FenceGl;
  return { gl, fences, finishAll: () => fences.forEach((f) => { f.done = true; }), loseContext: () => { lost = true; } };
}

function fakeMap() {
  const drawn: number[] = [];
  let repaints = 0;
  const map: PacedMap = {
    _render(t: number) {
      drawn.push(t);
      return this;
    },
    triggerRepaint() {
      repaints += 1;
    },
  };
  return { map, drawn, repaints: () => repaints };
}

describe('paceFramesToGpu', () => {
  it('puts a frame off while the GPU has not passed the fence of the frame before, and draws it once it has', () => {
    const { gl, fences, finishAll } = fakeGl();
    const { map, drawn, repaints } = fakeMap();
    const pacing = paceFramesToGpu(map, gl);
    expect(map._render(16)).toBe(map);
    expect(drawn).toEqual([16]);
    expect(fences).toHaveLength(1);
    // the GPU is still on frame 16: two animation frames come and go without a draw, each asking for the next
    map._render(33);
    map._render(50);
    expect(drawn).toEqual([16]);
    expect(repaints()).toBe(2);
    expect(pacing.deferred).toBe(2);
    finishAll();
    map._render(66);
    expect(drawn).toEqual([16, 66]);
    expect(fences.map((f) => f.deleted)).toEqual([true, false]);
    expect(pacing.deferred).toBe(2);
  });

  it('never puts off map.redraw() (timestamp 0) nor a frame of a lost context', () => {
    const { gl, loseContext } = fakeGl();
    const { map, drawn } = fakeMap();
    paceFramesToGpu(map, gl);
    map._render(16);
    map._render(0);
    expect(drawn).toEqual([16, 0]);
    loseContext();
    map._render(33);
    expect(drawn).toEqual([16, 0, 33]);
  });

  it('leaves the map alone without WebGL 2, and stop() gives MapLibre its own frame back', () => {
    const { map } = fakeMap();
    const own = map._render;
    expect(paceFramesToGpu(map, null).deferred).toBe(0);
    expect(map._render).toBe(own);
    const { gl, fences } = fakeGl();
    const pacing = paceFramesToGpu(map, gl);
    expect(map._render).not.toBe(own);
    map._render(16);
    pacing.stop();
    expect(map._render).toBe(own);
    expect(fences[0]?.deleted).toBe(true);
  });
});
