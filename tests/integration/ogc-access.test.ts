/**
 * Who reads what through the OGC API – Features (issue 8), on the SYNTHETIC access fixture
 * (tests/helpers/access-fixture.ts: five layers C0–C3 of organisation A, a feature inside and one
 * outside partner B's project area, five works). OGC items are a bulk download: the reference
 * below is the fixture's read table minus other organisations' C3 rows (layers and works alike),
 * written out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LAYERS, type LayerKey, OWNERS, PARTNERS, READ_WORK, SYSTEM, USERS, type UserKey, type Where, features, fx, setUpAccessFixture,
  tearDownAccessFixture, tokens, workIds,
} from '../helpers/access-fixture.ts';
import { OgcClient } from '../helpers/ogc.ts';

/** THE reference for OGC items: who downloads each fixture feature. */
const OGC_READ: Record<LayerKey, Record<Where, UserKey[]>> = {
  c0: { in: [...USERS], out: [...USERS] },
  c1: { in: PARTNERS, out: PARTNERS },
  c2shared: { in: PARTNERS, out: PARTNERS },
  c2: { in: OWNERS, out: OWNERS },
  // inside the project area partner B sees the C3 row on the map, but never downloads it
  c3: { in: OWNERS, out: OWNERS },
};

/** THE reference for works: the fixture's read table, except that partner B never downloads A's C3 work inside its area. */
const OGC_WORKS: Record<string, UserKey[]> = { ...READ_WORK, 'w-c3-in': OWNERS };

let ogc: OgcClient;
beforeAll(async () => {
  await setUpAccessFixture('it_ogc_access');
  ogc = new OgcClient(fx.server.baseUrl);
});
afterAll(tearDownAccessFixture);

const token = (u: UserKey): string | null => tokens.get(u) ?? null;
const expectedAssets = (u: UserKey, layer: LayerKey): number[] =>
  [...features].filter(([, [l, where]]) => l === layer && OGC_READ[l][where].includes(u)).map(([id]) => id).sort((a, b) => a - b);

describe('OGC API access by user', () => {
  for (const user of USERS) {
    it(`${user}: the fixture's layers and works as the reference says`, async () => {
      const listed = (await ogc.json<{ collections: { id: string }[] }>('/ogc/collections', token(user))).body.collections.map((c) => c.id);
      for (const layer of LAYERS) {
        const expected = expectedAssets(user, layer);
        const p = `/ogc/collections/${SYSTEM[layer]}`;
        expect(listed.includes(SYSTEM[layer]), `${user} lists ${layer}`).toBe(expected.length > 0);
        if (expected.length === 0) {
          expect((await ogc.refused(`${p}/items`, token(user))).status, `${user} ${layer}`).toBe(404);
          expect((await ogc.refused(p, token(user))).status).toBe(404);
          continue;
        }
        const { features: got } = await ogc.all(`${p}/items?limit=1`, token(user));
        expect(got.map((f) => Number(f.id)).sort((a, b) => a - b), `${user} ${layer}`).toEqual(expected);
      }
      const works = (await ogc.all('/ogc/collections/works/items', token(user))).features.map((f) => workIds.get(Number(f.id)));
      expect(works.sort(), `${user} works`).toEqual(Object.entries(OGC_WORKS).filter(([, who]) => who.includes(user)).map(([w]) => w).sort());
    });
  }

  it('answers 404 for a single feature the caller may not download', async () => {
    const c3in = [...features].find(([, [l, w]]) => l === 'c3' && w === 'in')?.[0];
    expect((await ogc.refused(`/ogc/collections/${SYSTEM.c3}/items/${c3in}`, token('partnerInArea'))).status).toBe(404);
    expect((await ogc.json(`/ogc/collections/${SYSTEM.c3}/items/${c3in}`, token('ownerAnalyst'))).body.id).toBe(c3in);
    const c0 = [...features].find(([, [l]]) => l === 'c0')?.[0];
    expect((await ogc.json(`/ogc/collections/${SYSTEM.c0}/items/${c0}`, null)).body.id).toBe(c0);
  });
});
