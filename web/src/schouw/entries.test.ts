import { describe, expect, it } from 'vitest';
import { listEntries } from './entries.ts';
import { newOutboxItem } from './outbox.ts';
import type { HotspotBody, HotspotCollection } from './types.ts';

const body = (id: string, observedAt: string): HotspotBody => ({ id, kind: 'knelpunt', theme: 'Verkeer', note: id, lon: 5.9, lat: 51.1, accuracy: null, observedAt });

describe('listEntries', () => {
  it('merges the outbox, the server and this visit, one entry per hotspot, newest first', () => {
    const waiting = newOutboxItem('ABC234', body('w', '2026-05-01T10:03:00Z'), new Blob(['x']), 3);
    const failed = { ...newOutboxItem('ABC234', body('f', '2026-05-01T10:02:00Z'), null, 2), state: 'failed' as const, lastError: 'Gesloten' };
    const server: HotspotCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [5.9, 51.1] }, properties: { id: 's', kind: 'kans', theme: 'Groen', note: 'server', own: true, status: 'new', hasPhoto: true, receivedAt: '2026-05-01T10:01:00Z' } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [5.9, 51.1] }, properties: { id: 'o', kind: 'kans', theme: 'Groen', note: 'other person', own: false, status: 'published', hasPhoto: false, receivedAt: '2026-05-01T10:05:00Z' } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [5.9, 51.1] }, properties: { id: 'w', kind: 'knelpunt', theme: 'Verkeer', note: 'w', own: true, status: 'new', hasPhoto: false, receivedAt: '2026-05-01T10:04:00Z' } },
      ],
    };
    const sent = new Map([['j', body('j', '2026-05-01T10:00:00Z')]]);
    const entries = listEntries([waiting, failed], server, sent);
    expect(entries.map((e) => [e.id, e.state])).toEqual([
      ['w', { kind: 'waiting' }],
      ['f', { kind: 'failed', message: 'Gesloten' }],
      ['s', { kind: 'sent' }],
      ['j', { kind: 'sent' }],
    ]);
    expect(entries[0]?.hasPhoto).toBe(true);
  });
});
