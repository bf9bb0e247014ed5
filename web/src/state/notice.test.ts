import { describe, expect, it } from 'vitest';
import { initialNotice, updateNotice } from './notice.ts';

describe('updateNotice', () => {
  it('shows a message with an increasing sequence number', () => {
    const a = updateNotice(initialNotice, { type: 'notice/show', key: 'errorLayers', detail: 'een' });
    const b = updateNotice(a, { type: 'notice/show', key: 'errorSearch', detail: 'twee' });
    expect(a).toEqual({ seq: 1, key: 'errorLayers', detail: 'een' });
    expect(b).toEqual({ seq: 2, key: 'errorSearch', detail: 'twee' });
  });

  it('a dismiss for an older notice keeps the newer one', () => {
    const a = updateNotice(null, { type: 'notice/show', key: 'errorLayers', detail: 'een' });
    const b = updateNotice(a, { type: 'notice/show', key: 'errorLayers', detail: 'twee' });
    expect(updateNotice(b, { type: 'notice/dismiss', seq: 1 })).toBe(b);
    expect(updateNotice(b, { type: 'notice/dismiss', seq: 2 })).toBeNull();
    expect(updateNotice(b, { type: 'notice/dismiss' })).toBeNull();
  });
});
