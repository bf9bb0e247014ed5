import { describe, expect, it } from 'vitest';
import { createTranslate } from '../../i18n/index.ts';
import { moratoriumRows } from './moratorium-fields.ts';

const m = { id: 4, from: '2026-01-01', until: '2030-12-31', reason: 'Herinrichting Markt', exceptions: ['spoed', 'glasvezel'], owner: 'maasgouw', ownerName: 'Gemeente Maasgouw', sourceWorkId: 12 };

describe('moratoriumRows', () => {
  it('lists period, reason, exceptions, owner and the work it came from', () => {
    const rows = moratoriumRows(m, 'nl', createTranslate('nl'));
    expect(rows.map((r) => [r.key, r.label, r.value])).toEqual([
      ['from', 'Vanaf', '1 jan 2026'],
      ['until', 'Tot en met', '31 dec 2030'],
      ['reason', 'Reden', 'Herinrichting Markt'],
      ['exceptions', 'Uitzonderingen', 'spoed, glasvezel'],
      ['owner', 'Eigenaar', 'Gemeente Maasgouw'],
      ['source-work', 'Na werk', '#12'],
    ]);
  });

  it('translates the exceptions and leaves unknowns empty', () => {
    const rows = moratoriumRows({ ...m, exceptions: [], ownerName: null, owner: null, sourceWorkId: null, until: 'x' }, 'en', createTranslate('en'));
    expect(Object.fromEntries(rows.map((r) => [r.key, r.value]))).toEqual({ from: '1 Jan 2026', until: null, reason: 'Herinrichting Markt', exceptions: null, owner: null });
    expect(moratoriumRows(m, 'en', createTranslate('en')).find((r) => r.key === 'exceptions')?.value).toBe('emergency, fibre optics');
  });
});
