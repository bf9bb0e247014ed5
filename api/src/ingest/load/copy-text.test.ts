import { describe, expect, it } from 'vitest';
import { CopyWriter, copyValue } from './copy-text.ts';

describe('CopyWriter', () => {
  it('writes COPY text rows: tabs, \\N for null, escapes, UTF-8, JSON backslashes doubled', () => {
    const w = new CopyWriter(8); // tiny: every write grows the buffer
    w.escaped(`1\t${copyValue('a\tb\\c\nd')}\t${copyValue(null)}\t${copyValue(2.5)}\t${copyValue(Number.NaN)}\t${copyValue('Kerkstraat ’s-Hertogenbosch ✓')}\t`)
      .json(JSON.stringify({ s: 'x"y\\z\u0001' })).endRow();
    expect(w.take().toString('utf8')).toBe('1\ta\\tb\\\\c\\nd\t\\N\t2.5\t\\N\tKerkstraat ’s-Hertogenbosch ✓\t{"s":"x\\\\"y\\\\\\\\z\\\\u0001"}\n');
    expect(copyValue('a\tb\\c\nd')).toBe('a\\tb\\\\c\\nd');
  });

  it('hands out only whole rows; a begun one waits for the next take', () => {
    const w = new CopyWriter(4);
    w.plain('1').endRow();
    w.plain('3').endRow();
    w.plain('4').tab();
    const first = w.take();
    expect(first.toString()).toBe('1\n3\n');
    w.plain('x').endRow();
    expect(w.take().toString()).toBe('4\tx\n');
    expect(first.toString()).toBe('1\n3\n'); // what was handed out is not overwritten
    expect(w.take().length).toBe(0);
  });
});
