import { describe, expect, it } from 'vitest';
import { adminTabs, tabForKey } from './admin-tabs.ts';

describe('adminTabs', () => {
  it('shows administrators everything, everyone else their tokens', () => {
    expect(adminTabs('admin')).toEqual(['tokens', 'users', 'layers', 'audit']);
    for (const role of ['analyst', 'area_manager', 'participant'] as const) expect(adminTabs(role)).toEqual(['tokens']);
  });
});

describe('tabForKey', () => {
  const tabs = adminTabs('admin');

  it('moves with the arrows and wraps around', () => {
    expect(tabForKey(tabs, 'tokens', 'ArrowRight')).toBe('users');
    expect(tabForKey(tabs, 'audit', 'ArrowRight')).toBe('tokens');
    expect(tabForKey(tabs, 'tokens', 'ArrowLeft')).toBe('audit');
    expect(tabForKey(tabs, 'layers', 'ArrowUp')).toBe('users');
    expect(tabForKey(tabs, 'layers', 'ArrowDown')).toBe('audit');
  });

  it('jumps to the ends with Home and End, and ignores other keys', () => {
    expect(tabForKey(tabs, 'layers', 'Home')).toBe('tokens');
    expect(tabForKey(tabs, 'users', 'End')).toBe('audit');
    expect(tabForKey(tabs, 'users', 'Enter')).toBeNull();
    expect(tabForKey(['tokens'], 'tokens', 'ArrowRight')).toBe('tokens');
    expect(tabForKey([], 'tokens', 'ArrowRight')).toBeNull();
  });
});
