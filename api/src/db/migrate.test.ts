import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SYSTEM_CODES } from '../model/systems.ts';

describe('migration 003', () => {
  it('allows exactly the vital-system codes of the model', () => {
    const sql = readFileSync(new URL('./migrations/003_bulk_load_cost.sql', import.meta.url), 'utf8');
    const list = /CHECK \(system IN \(([^)]*)\)\)/s.exec(sql)?.[1] ?? '';
    const codes = [...list.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
    expect(codes.sort()).toEqual([...SYSTEM_CODES].sort());
  });
});
