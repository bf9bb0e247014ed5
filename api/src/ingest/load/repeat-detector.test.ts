import { describe, expect, it } from 'vitest';
import { RepeatDetector } from './repeat-detector.ts';

describe('RepeatDetector', () => {
  it('says nothing repeats in 200,000 distinct ids (through several table growths)', () => {
    const d = new RepeatDetector();
    for (let i = 0; i < 200_000; i++) d.add(`leiding-${i}`);
    expect(d.maybeRepeats).toBe(false);
  });

  it('notices a repeat anywhere in the stream', () => {
    const d = new RepeatDetector();
    for (let i = 0; i < 50_000; i++) d.add(`id${i}`);
    d.add('id12345');
    expect(d.maybeRepeats).toBe(true);
  });

  it('tells apart ids that differ only in order or length', () => {
    const d = new RepeatDetector();
    for (const id of ['ab', 'ba', 'a', 'aa', '', 'a\u0000', '1/12', '1/21']) d.add(id);
    expect(d.maybeRepeats).toBe(false);
  });
});

describe('RepeatDetector sized by a feature count hint', () => {
  it('finds a repeat whether the hint was too small, right or too large', () => {
    for (const hint of [null, 10, 60_000, 5_000_000]) {
      const d = new RepeatDetector(hint);
      for (let i = 0; i < 60_000; i++) d.add(`kabel-${i}`);
      expect(d.maybeRepeats).toBe(false);
      d.add('kabel-59999');
      expect(d.maybeRepeats).toBe(true);
    }
  });
});
