/** The OGC API's HTML pages escape every value and carry no script. */
import { describe, expect, it } from 'vitest';
import { escapeHtml, fieldTable, page, rowsTable } from './html.ts';

describe('html', () => {
  it('escapes markup in values, keys and links, and has no script', () => {
    const evil = '<script>alert("x")</script>&\'';
    const html = page(evil, 'http://h/ogc', fieldTable({ [evil]: evil, n: 3, o: { a: '<b>' } }) + rowsTable(['id'], [{ href: `"><script>`, cells: { id: evil } }]),
      [{ rel: 'self', href: 'http://h/ogc?a=1&b=<2>', title: evil }]);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    expect(html).toContain('href="http://h/ogc?a=1&amp;b=&lt;2&gt;"');
    expect(html).toContain('{&quot;a&quot;:&quot;&lt;b&gt;&quot;}');
    expect(escapeHtml(null)).toBe('');
  });
});
