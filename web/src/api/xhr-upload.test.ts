import { describe, expect, it } from 'vitest';
import { createXhrUploader, type XhrLike } from './xhr-upload.ts';

type Listener = (e: { loaded: number; total: number; lengthComputable: boolean }) => void;

class FakeXhr implements XhrLike {
  status = 0;
  responseText = '';
  opened = '';
  headers: Record<string, string> = {};
  private on = new Map<string, () => void>();
  private progress: Listener | null = null;
  readonly upload = { addEventListener: (_type: 'progress', l: Listener) => void (this.progress = l) };
  open(method: string, url: string): void {
    this.opened = `${method} ${url}`;
  }
  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  addEventListener(type: 'load' | 'error' | 'abort', listener: () => void): void {
    this.on.set(type, listener);
  }
  send(): void {
    this.progress?.({ loaded: 3, total: 10, lengthComputable: true });
  }
  abort(): void {
    this.on.get('abort')?.();
  }
  answer(status: number, text: string): void {
    this.status = status;
    this.responseText = text;
    this.on.get('load')?.();
  }
}

describe('createXhrUploader', () => {
  it('posts the body as octet-stream, reports progress, resolves with status and text', async () => {
    const xhr = new FakeXhr();
    const progress: [number, number][] = [];
    const pending = createXhrUploader(() => xhr)('/api/imports?name=a', new Blob(['0123456789']), (s, t) => progress.push([s, t]));
    xhr.answer(202, '{"job":1}');
    await expect(pending).resolves.toEqual({ status: 202, text: '{"job":1}' });
    expect(xhr.opened).toBe('POST /api/imports?name=a');
    expect(xhr.headers['Content-Type']).toBe('application/octet-stream');
    expect(progress).toEqual([[3, 10], [10, 10]]);
  });

  it('adds the extra headers it is given (the CSRF token)', async () => {
    const xhr = new FakeXhr();
    const pending = createXhrUploader(() => xhr)('/api/imports?name=a', new Blob(['1']), () => undefined, undefined, { 'X-CSRF-Token': 't1' });
    xhr.answer(202, '{}');
    await pending;
    expect(xhr.headers).toMatchObject({ 'X-CSRF-Token': 't1', 'Content-Type': 'application/octet-stream' });
  });

  it('aborts with an AbortError when the signal fires', async () => {
    const xhr = new FakeXhr();
    const abort = new AbortController();
    const pending = createXhrUploader(() => xhr)('/x', new Blob(['1']), () => undefined, abort.signal);
    abort.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
