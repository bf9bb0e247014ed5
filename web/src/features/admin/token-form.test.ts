import { describe, expect, it } from 'vitest';
import type { ApiToken } from '../../api/admin-types.ts';
import { checkNewToken, markRevoked, scopeAllowed, tokenStatus } from './token-form.ts';

const TOKEN: ApiToken = { id: 1, name: 'QGIS', prefix: 'smh_ab', scope: 'read', createdAt: '2026-03-01T10:00:00Z', lastUsedAt: null, revokedAt: null };

describe('checkNewToken', () => {
  it('trims the name and sends the chosen rights', () => {
    expect(checkNewToken({ name: '  QGIS thuis ', scope: 'write' }, 'analyst')).toEqual({ ok: true, value: { name: 'QGIS thuis', scope: 'write' } });
    expect(checkNewToken({ name: 'script', scope: 'read' }, 'participant')).toEqual({ ok: true, value: { name: 'script', scope: 'read' } });
  });

  it('needs a name of at most 100 characters', () => {
    expect(checkNewToken({ name: '   ', scope: 'read' }, 'admin')).toEqual({ ok: false, issues: [{ field: 'name', problem: 'required' }] });
    expect(checkNewToken({ name: 'x'.repeat(101), scope: 'read' }, 'admin')).toEqual({ ok: false, issues: [{ field: 'name', problem: 'tooLong', limit: 100 }] });
    expect(checkNewToken({ name: 'x'.repeat(100), scope: 'read' }, 'admin').ok).toBe(true);
  });

  it('gives participants read tokens only', () => {
    expect(scopeAllowed('participant', 'write')).toBe(false);
    expect(scopeAllowed('area_manager', 'write')).toBe(true);
    expect(checkNewToken({ name: 'x', scope: 'write' }, 'participant')).toEqual({ ok: false, issues: [{ field: 'scope', problem: 'scope' }] });
  });
});

describe('tokens in the list', () => {
  it('are active until revoked', () => {
    expect(tokenStatus(TOKEN)).toEqual({ state: 'active' });
    expect(tokenStatus({ revokedAt: '2026-03-02T10:00:00Z' })).toEqual({ state: 'revoked', at: '2026-03-02T10:00:00Z' });
  });

  it('markRevoked changes only the active token with that id', () => {
    const old = { ...TOKEN, id: 2, revokedAt: '2026-01-01T00:00:00Z' };
    const after = markRevoked([TOKEN, old], 1, '2026-03-03T00:00:00Z');
    expect(after.map((t) => t.revokedAt)).toEqual(['2026-03-03T00:00:00Z', '2026-01-01T00:00:00Z']);
    expect(markRevoked([old], 2, 'later')[0]?.revokedAt).toBe('2026-01-01T00:00:00Z');
  });
});
