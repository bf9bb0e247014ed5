import { describe, expect, it } from 'vitest';
import { hotspotTag, parseHotspotEvent, walkEventsUrl, walkTag, type Hotspot } from '../../api/walk-endpoints.ts';
import { rankingScale } from './ranking-scale.ts';
import { hotspotBbox, hotspotPairItems, joinLink, lastSeq, mergeHotspots, spellCode, truncate } from './walk-logic.ts';

const ID = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const hotspot = (n: number, version: number, over: Partial<Hotspot['properties']> = {}): Hotspot => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [5.89 + n / 1000, 51.16] },
  properties: {
    id: ID(n), kind: 'knelpunt', theme: 'drinkwater', note: `melding ${n}`, status: 'new', hasPhoto: false,
    receivedAt: `2026-12-05T10:0${n}:00Z`, version, seq: n * 10 + version, ...over,
  },
});

describe('merging hotspots', () => {
  it('adds new ones, newest received first', () => {
    const merged = mergeHotspots([hotspot(1, 1)], [hotspot(3, 1), hotspot(2, 1)]);
    expect(merged.map((h) => h.properties.id)).toEqual([ID(3), ID(2), ID(1)]);
  });

  it('keeps the higher version of one hotspot, whatever the order they arrive in', () => {
    const v1 = hotspot(1, 1);
    const v2 = hotspot(1, 2, { status: 'published' });
    expect(mergeHotspots([v1], [v2])[0]?.properties.status).toBe('published');
    // a late, older event does not undo the newer state
    expect(mergeHotspots([v2], [v1])[0]?.properties.status).toBe('published');
    expect(mergeHotspots([], [v2, v1])).toEqual([v2]);
    expect(mergeHotspots([], [v1, v2])).toEqual([v2]);
  });

  it('answers the same array when nothing changed (an event repeated after a reconnect)', () => {
    const current = mergeHotspots([], [hotspot(1, 2), hotspot(2, 1)]);
    expect(mergeHotspots(current, [hotspot(1, 2), hotspot(1, 1)])).toBe(current);
    expect(mergeHotspots(current, [])).toBe(current);
  });

  it('finds the last stream position', () => {
    expect(lastSeq([])).toBeNull();
    expect(lastSeq([hotspot(1, 1), hotspot(4, 2), hotspot(2, 1)])).toBe(42);
  });

  it('reads a hotspot event of the stream and refuses what is not one', () => {
    const h = hotspot(1, 1);
    expect(parseHotspotEvent(JSON.stringify({ ...h, properties: { ...h.properties, seq: '11' } }))?.properties.seq).toBe(11);
    expect(parseHotspotEvent('not json')).toBeNull();
    expect(parseHotspotEvent(JSON.stringify({ type: 'Feature' }))).toBeNull();
    expect(parseHotspotEvent(undefined)).toBeNull();
  });
});

describe('the join link and the QR text', () => {
  it('is the origin with /schouw/<CODE>', () => {
    expect(joinLink('https://samenhang.example', 'K7M2QX')).toBe('https://samenhang.example/schouw/K7M2QX');
    expect(joinLink('http://localhost:8080/', ' k7m2qx ')).toBe('http://localhost:8080/schouw/K7M2QX');
  });

  it('spells the code for a screen reader', () => {
    expect(spellCode('K7M2QX')).toBe('K 7 M 2 Q X');
  });

  it('has a stream URL that resumes after a position when given one', () => {
    expect(walkEventsUrl(3, null)).toBe('/api/walks/3/events');
    expect(walkEventsUrl(3, 42)).toBe('/api/walks/3/events?after=42');
  });
});

describe('the If-Match tags', () => {
  it('are the ETags the server sends', () => {
    expect(hotspotTag(ID(7), 3)).toBe(`"hotspot-${ID(7)}-v3"`);
    expect(walkTag(12, 1)).toBe('"walk-12-v1"');
  });
});

describe('pairwise items from hotspots', () => {
  it('takes the published knelpunten with "theme: note", the note cut to 60', () => {
    const long = 'x'.repeat(80);
    const items = hotspotPairItems([
      hotspot(1, 2, { status: 'published', note: long }),
      hotspot(2, 2, { status: 'published', kind: 'kans' }),
      hotspot(3, 1),
      hotspot(4, 2, { status: 'published', note: '', theme: 'groen' }),
    ]);
    expect(items.map((i) => i.id)).toEqual([ID(1), ID(4)]);
    expect(items[0]?.label).toBe(`drinkwater: ${'x'.repeat(59)}…`);
    expect(items[1]?.label).toBe('groen');
  });

  it('truncates on one line', () => {
    expect(truncate('  kort\n stuk ', 60)).toBe('kort stuk');
    expect(truncate('abcdefgh', 5)).toBe('abcd…');
  });

  it('flies to a small box around a hotspot', () => {
    const box = hotspotBbox(hotspot(0, 1), 0.001);
    expect(box?.map((v) => Number(v.toFixed(4)))).toEqual([5.889, 51.159, 5.891, 51.161]);
  });
});

describe('the ranking chart scale', () => {
  it('puts scores on a log scale with 1 inside and the intervals covered', () => {
    const s = rankingScale([{ score: 4, low: 2, high: 8 }, { score: 0.25, low: 0.125, high: 0.5 }], 200);
    expect(s.domain[0]).toBeLessThan(0.125);
    expect(s.domain[1]).toBeGreaterThan(8);
    // symmetric scores around 1 sit symmetrically around the origin (log scale)
    expect(s.x(4) - s.origin).toBeCloseTo(s.origin - s.x(0.25), 6);
    expect(s.x(8) - s.x(4)).toBeCloseTo(s.x(4) - s.x(2), 6);
    expect(s.origin).toBeCloseTo(100, 6);
    expect(s.x(s.domain[0])).toBeCloseTo(0, 6);
    expect(s.x(s.domain[1])).toBeCloseTo(200, 6);
  });

  it('clamps values outside the domain and non-positive ones to the edges', () => {
    const s = rankingScale([{ score: 2, low: 1, high: 3 }], 100, 10);
    expect(s.x(1000)).toBeCloseTo(110, 6);
    expect(s.x(0)).toBeCloseTo(10, 6);
    expect(s.x(Number.NaN)).toBeCloseTo(10, 6);
  });

  it('spans at least ½…2 when all scores are near 1 or there are none', () => {
    for (const items of [[], [{ score: 1, low: 1, high: 1 }], [{ score: 1.1, low: 0.95, high: 1.2 }]]) {
      const s = rankingScale(items, 100);
      expect(s.domain[0]).toBeLessThanOrEqual(0.5);
      expect(s.domain[1]).toBeGreaterThanOrEqual(2);
      expect(s.origin).toBeGreaterThan(0);
      expect(s.origin).toBeLessThan(100);
    }
  });

  it('has 1-2-5 ticks inside the domain, 1 among them', () => {
    const s = rankingScale([{ score: 3, low: 0.3, high: 9 }], 100);
    expect(s.ticks).toContain(1);
    for (const t of s.ticks) {
      expect(t).toBeGreaterThanOrEqual(s.domain[0]);
      expect(t).toBeLessThanOrEqual(s.domain[1]);
      expect([1, 2, 5]).toContain(Number((t / 10 ** Math.floor(Math.log10(t) + 1e-9)).toPrecision(3)));
    }
    const wide = rankingScale([{ score: 1, low: 0.001, high: 1000 }], 100);
    expect(wide.ticks).toEqual([0.001, 0.01, 0.1, 1, 10, 100, 1000]);
  });
});
