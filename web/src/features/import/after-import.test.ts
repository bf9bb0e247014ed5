import { describe, expect, it } from 'vitest';
import type { DatasetInfo, LayersResponse } from '../../api/types.ts';
import type { AppAction } from '../../state/app-state.ts';
import { refreshAfterImport, systemsToRefresh, tilesVersion } from './after-import.ts';
import { makeJob, REPORT } from './job-fixture.ts';

const done = makeJob({ state: 'done', report: REPORT });
const dataset: DatasetInfo = {
  id: 7,
  name: 'riool_leidingen',
  sourceKind: 'geopackage',
  sourceRef: 'riolering.gpkg',
  owner: null,
  confidentiality: 'intern',
  importedAt: '2025-05-01T10:00:00Z',
  featureCount: 2,
  systems: ['riool_vrijverval', 'riool_pers'],
};
const layer = (id: 'drinkwater' | 'riool_vrijverval'): LayersResponse['layers'][number] => ({ id, labelNl: id, labelEn: id, color: '#000', count: 1, geometryTypes: [], tilejson: `/tiles/${id}.json` });
const layers: LayersResponse = { extent: null, layers: [layer('drinkwater'), layer('riool_vrijverval')], works: { count: 0 } };

describe('after a load', () => {
  it('reloads the systems the dataset filled, or all present ones when it is not listed', () => {
    expect(systemsToRefresh(done, [dataset], layers)).toEqual(['riool_vrijverval', 'riool_pers']);
    expect(systemsToRefresh(done, [], layers)).toEqual(['drinkwater', 'riool_vrijverval']);
    expect(systemsToRefresh(done, null, null)).toEqual([]);
  });

  it('versions the tiles with the dataset id and the time', () => {
    expect(tilesVersion(done, 1700)).toBe('7-1700');
    expect(tilesVersion(makeJob(), 1700)).toBe('1700');
  });

  it('refreshes catalogue and datasets, then asks for new tiles and zooms to the features', async () => {
    const actions: AppAction[] = [];
    const bbox = await refreshAfterImport(done, {
      reloadLayers: () => Promise.resolve(layers),
      reloadDatasets: () => Promise.resolve([dataset]),
      dispatch: (a) => actions.push(a),
      now: () => 42,
    });
    expect(bbox).toEqual([5.1, 51.9, 5.3, 52.1]);
    expect(actions).toEqual([
      { type: 'tiles/refresh', version: '7-42', systems: ['riool_vrijverval', 'riool_pers'] },
      { type: 'focus/bbox', bbox: [5.1, 51.9, 5.3, 52.1] },
    ]);
  });
});
