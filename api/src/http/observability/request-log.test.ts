import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { prettyLine } from './log.ts';
import { loggedPath, requestIdFrom, routeLabel } from './request-log.ts';

const req = (originalUrl: string, method = 'GET', routePath?: unknown) =>
  ({ originalUrl, method, ...(routePath === undefined ? {} : { route: { path: routePath } }) }) as unknown as Request;

describe('request ids', () => {
  it("keeps a caller's plain token of at most 100 characters", () => {
    expect(requestIdFrom('lb-7f3a.01:req/42')).toBe('lb-7f3a.01:req/42');
    expect(requestIdFrom('a'.repeat(100))).toBe('a'.repeat(100));
  });

  it('replaces anything else with a UUID', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const bad of [undefined, '', 'a'.repeat(101), 'two words', 'new\nline', '"quoted"', '<script>', '-leading-dash']) {
      expect(requestIdFrom(bad)).toMatch(uuid);
    }
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});

describe('what a request line shows', () => {
  it('names the route pattern, (static) for a file, (none) when no route answered', () => {
    expect(routeLabel(req('/api/works/12', 'GET', '/api/works/:id'), 200)).toBe('/api/works/:id');
    expect(routeLabel(req('/schouw/AB12', 'GET', ['/schouw', '/schouw/{*code}']), 200)).toBe('/schouw,/schouw/{*code}');
    expect(routeLabel(req('/assets/index-1.js'), 200)).toBe('(static)');
    expect(routeLabel(req('/api/nope'), 404)).toBe('(none)');
    expect(routeLabel(req('/api/works', 'POST'), 401)).toBe('(none)');
  });

  it('leaves secret query values and secret path parameters out', () => {
    expect(loggedPath(req('/api/layers?bbox=1,2,3,4&access_token=s3cret&Password=x'), '/api/layers'))
      .toEqual({ path: '/api/layers', query: 'bbox=1,2,3,4&access_token=[redacted]&Password=[redacted]' });
    expect(loggedPath(req('/schouw/JOINCODE9'), '/schouw,/schouw/{*code}')).toEqual({ path: '/schouw,/schouw/{*code}' });
    expect(loggedPath(req('/api/works/12'), '/api/works/:id')).toEqual({ path: '/api/works/12' });
    const long = loggedPath(req(`/ogc/x?filter=${'a'.repeat(1000)}`), '/ogc/x').query ?? '';
    expect(long.length).toBeLessThanOrEqual(301);
  });
});

describe('prettyLine', () => {
  it('shows time, level, message and the other fields', () => {
    const line = JSON.stringify({ level: 40, time: Date.UTC(2026, 0, 2, 3, 4, 5, 6), pid: 1, hostname: 'h', name: 'samenhang', instance: 'i', msg: 'hi', route: '/x', ms: 1.5 });
    expect(prettyLine(line)).toBe('03:04:05.006 WARN  hi  route=/x ms=1.5\n');
    expect(prettyLine('not json\n')).toBe('not json\n');
  });
});
