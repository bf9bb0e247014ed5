import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, pairKey, pairRule } from './analysis-rules.ts';

describe('pairRule', () => {
  const rules = { ...DEFAULT_RULES, pairs: { [pairKey('riool_vrijverval', 'drinkwater')]: { distanceM: 5, combineDays: 100 }, [pairKey('telecom', 'drinkwater')]: { distanceM: 40, combineDays: 500 } } };

  it('takes a pair from the matrix, also when it is narrower than the default', () => {
    expect(pairRule(rules, ['drinkwater'], ['riool_vrijverval'])).toEqual({ distanceM: 5, combineDays: 100 });
  });

  it('is the most permissive over every pair of the systems, a pair without an entry counting as the default', () => {
    expect(pairRule(rules, ['riool_vrijverval', 'gas_ld'], ['drinkwater'])).toEqual({ distanceM: 20, combineDays: 365 });
    expect(pairRule(rules, ['riool_vrijverval', 'telecom'], ['drinkwater'])).toEqual({ distanceM: 40, combineDays: 500 });
  });

  it('is the default when a work names no systems', () => {
    expect(pairRule(rules, [], ['drinkwater'])).toEqual(DEFAULT_RULES.pair);
  });
});
