import { describe, expect, it } from 'vitest';
import { createTranslate } from '../../i18n/index.ts';
import { fieldValueText } from './field-text.ts';

const nl = createTranslate('nl');
const en = createTranslate('en');

describe('fieldValueText', () => {
  it('shows values in words and the language’s notation', () => {
    expect(fieldValueText('systems', ['riool_vrijverval', 'drinkwater'], nl, 'nl')).toBe('Riolering vrijverval, Drinkwater');
    expect(fieldValueText('systems', ['drinkwater'], en, 'en')).toBe('Drinking water');
    expect(fieldValueText('preferredStart', '2026-03-12', nl, 'nl')).toBe('12 mrt 2026');
    expect(fieldValueText('costEstimate', 12500, nl, 'nl')).toMatch(/^€\s?12\.500$/);
    expect(fieldValueText('trenchWidth', 1.5, nl, 'nl')).toBe('1,5 m');
    expect(fieldValueText('opensGround', false, nl, 'nl')).toBe('nee');
    expect(fieldValueText('status', 'in uitvoering', en, 'en')).toBe('in progress');
    expect(fieldValueText('confidentiality', 'C2', nl, 'nl')).toBe('C2 vertrouwelijk');
    expect(fieldValueText('exceptions', ['spoed'], en, 'en')).toBe('emergency');
  });

  it('shows an absent value as a dash and a geometry by kind and size', () => {
    expect(fieldValueText('contact', null, nl, 'nl')).toBe('—');
    expect(fieldValueText('systems', [], nl, 'nl')).toBe('—');
    const line = { type: 'LineString', coordinates: [[5, 52], [5, 52.001]] };
    expect(fieldValueText('geometry', line, nl, 'nl')).toBe('Lijn · 111 m');
  });
});
