import { describe, expect, it } from 'vitest';
import { createWalkApi, parseHotspots, WalkApiError, type FetchFn } from './api.ts';

const walk = { id: 3, title: 'Schouw Maasbracht', date: '2026-05-01', themes: ['Groen'], status: 'open', route: { type: 'LineString', coordinates: [[5.9, 51.1], [5.91, 51.11]] }, area: null };

function fake(status: number, body: unknown, seen: { url: string; init: RequestInit | undefined }[] = []): FetchFn {
  return (url, init) => {
    seen.push({ url, init });
    return Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), { status }));
  };
}

describe('createWalkApi', () => {
  it('joins with the code, and the name only when one was given', async () => {
    const seen: { url: string; init: RequestInit | undefined }[] = [];
    const api = createWalkApi(fake(201, { token: 'tok', walk }, seen));
    await expect(api.join('ABC234', '  ')).resolves.toEqual({ token: 'tok', walk });
    await api.join('ABC234', ' Anna ');
    expect(seen.map((s) => [s.url, s.init?.method, s.init?.body])).toEqual([
      ['/api/walk-join', 'POST', '{"code":"ABC234"}'],
      ['/api/walk-join', 'POST', '{"code":"ABC234","name":"Anna"}'],
    ]);
  });

  it('turns the error envelope into a WalkApiError with the server message', async () => {
    const api = createWalkApi(fake(409, { error: { status: 409, code: 'walk_closed', message: 'Deze schouw is gesloten.' } }));
    const error: unknown = await api.join('ABC234', '').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WalkApiError);
    expect(error).toMatchObject({ status: 409, code: 'walk_closed', message: 'Deze schouw is gesloten.' });
  });

  it('sends the device token and reports 401 and network failures', async () => {
    const seen: { url: string; init: RequestInit | undefined }[] = [];
    await expect(createWalkApi(fake(200, { walk, device: { id: 1, name: null } }, seen)).me('tok')).resolves.toMatchObject({ walk });
    expect(new Headers(seen[0]?.init?.headers).get('X-Walk-Device')).toBe('tok');
    await expect(createWalkApi(fake(401, { error: { message: 'Onbekend apparaat' } })).me('x')).rejects.toMatchObject({ status: 401 });
    await expect(createWalkApi(() => Promise.reject(new TypeError('offline'))).config()).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('rejects an answer that does not pass the guard', async () => {
    await expect(createWalkApi(fake(201, { token: '', walk })).join('ABC234', '')).rejects.toMatchObject({ code: 'bad_response' });
  });
});

describe('parseHotspots', () => {
  it('keeps the valid features and fills in the optional properties', () => {
    const parsed = parseHotspots({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [5.9, 51.1] }, properties: { id: 'a', kind: 'kans', theme: 'Groen', note: null, own: true } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [5.9, 51.1] }, properties: { id: 'b', kind: 'other', theme: 'Groen', own: true } },
        { type: 'Feature', geometry: null, properties: { id: 'c', kind: 'kans', theme: 'Groen', own: false } },
      ],
    });
    expect(parsed?.features.map((f) => f.properties)).toEqual([
      { id: 'a', kind: 'kans', theme: 'Groen', note: '', own: true, status: '', hasPhoto: false, receivedAt: null },
    ]);
    expect(parseHotspots({ type: 'Feature' })).toBeNull();
  });
});
