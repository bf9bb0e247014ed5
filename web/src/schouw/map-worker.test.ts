import { describe, expect, it } from 'vitest';
import { mapWorkerUrl } from './map-worker.ts';

describe('mapWorkerUrl', () => {
  const createUrl = (blob: Blob): string => `blob:test/${blob.type}/${blob.size}`;

  it('makes a blob: URL of the fetched script', async () => {
    const fetchFn = () => Promise.resolve(new Response('export{};', { status: 200 }));
    await expect(mapWorkerUrl('/assets/w.mjs', fetchFn, createUrl)).resolves.toBe('blob:test/text/javascript/9');
  });

  it('keeps the plain URL when the script cannot be fetched', async () => {
    await expect(mapWorkerUrl('/assets/w.mjs', () => Promise.reject(new TypeError('offline')), createUrl)).resolves.toBe('/assets/w.mjs');
    await expect(mapWorkerUrl('/assets/w.mjs', () => Promise.resolve(new Response('', { status: 404 })), createUrl)).resolves.toBe('/assets/w.mjs');
  });
});
