import { describe, expect, it } from 'vitest';
import { itemsJson } from './documents.ts';

describe('itemsJson', () => {
  const doc = {
    type: 'FeatureCollection' as const, links: [{ rel: 'self', type: 'application/geo+json', title: 'this', href: 'http://x/items?f=json' }],
    numberMatched: 3, numberReturned: 2, timeStamp: '2026-11-29T12:00:00.000Z',
  };
  // as the items query writes them (ogc/items.ts featureSql), in parts of comma-joined features
  const texts = ['{"type":"Feature","id":1,"geometry":{"type":"Point","coordinates":[5,51]},"properties":{"label":"a \\"b\\""}}',
    '{"type":"Feature","id":2,"geometry":null,"properties":{}}', '{"type":"Feature","id":3,"geometry":null,"properties":{"n":3}}'];

  it('splices the feature texts into the document: the same JSON as writing the parsed features, members in the same order', () => {
    const text = itemsJson({ ...doc, numberReturned: 3 }, [texts.slice(0, 2).join(','), texts[2] ?? '']).join('');
    const features = texts.map((t) => JSON.parse(t) as unknown);
    expect(JSON.parse(text)).toEqual({ ...doc, numberReturned: 3, features });
    const { type, ...rest } = doc;
    expect(Object.keys(JSON.parse(text) as object)).toEqual(Object.keys({ type, features, ...rest }));
  });

  it('writes an empty page (no parts) as an empty array', () => {
    expect((JSON.parse(itemsJson({ ...doc, numberReturned: 0 }, []).join('')) as { features: unknown[] }).features).toEqual([]);
  });
});
