import { describe, expect, it } from 'vitest';
import { inlineParams, sqlLiteral } from './copy-out.ts';

describe('sqlLiteral', () => {
  it('writes values as quoted literals of their text form', () => {
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(42)).toBe("'42'");
    expect(sqlLiteral(4.5e-7)).toBe("'4.5e-7'");
    expect(sqlLiteral(true)).toBe("'true'");
    expect(sqlLiteral("O'Brien")).toBe("'O''Brien'");
    expect(sqlLiteral('back\\slash')).toBe(" E'back\\\\slash'");
  });

  it('writes arrays in PostgreSQL array syntax, quoting strings and keeping NULLs', () => {
    expect(sqlLiteral([1, 2, 3])).toBe("'{1,2,3}'");
    expect(sqlLiteral([])).toBe("'{}'");
    expect(sqlLiteral(['a"b', null, 'c\\d'])).toBe(` E'{"a\\\\"b",NULL,"c\\\\\\\\d"}'`);
  });

  it('refuses what has no safe literal', () => {
    expect(() => sqlLiteral(Number.NaN)).toThrow(/finite/);
    expect(() => sqlLiteral({ a: 1 })).toThrow(/object/);
  });
});

describe('inlineParams', () => {
  it('replaces every $n (also $10 after $1) and keeps the casts', () => {
    const values = ['x', 2, 3, 4, 5, 6, 7, 8, 9, 'ten'];
    expect(inlineParams({ text: 'SELECT $1::text, $10::text, $2::int', values })).toBe("SELECT 'x'::text, 'ten'::text, '2'::int");
  });

  it('fails on a reference without a value', () => {
    expect(() => inlineParams({ text: 'SELECT $2', values: [1] })).toThrow(/\$2/);
  });
});
