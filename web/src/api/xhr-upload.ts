/**
 * The browser uploader: XMLHttpRequest, because fetch cannot report upload progress and a
 * 300 MB GeoPackage deserves a moving bar. The factory is passed in so it can be tested.
 */
import type { Uploader } from './client.ts';

/** The part of XMLHttpRequest used here. */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  readonly upload: { addEventListener(type: 'progress', listener: (e: { loaded: number; total: number; lengthComputable: boolean }) => void): void };
  addEventListener(type: 'load' | 'error' | 'abort', listener: () => void): void;
}

export function createXhrUploader(createXhr: () => XhrLike): Uploader {
  return (url, body, onProgress, signal, headers = {}) =>
    new Promise((resolve, reject) => {
      const xhr = createXhr();
      const aborted = (): DOMException => new DOMException('upload aborted', 'AbortError');
      if (signal?.aborted) {
        reject(aborted());
        return;
      }
      const onAbortSignal = (): void => xhr.abort();
      signal?.addEventListener('abort', onAbortSignal, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbortSignal);
      xhr.open('POST', url);
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.setRequestHeader('Accept', 'application/json');
      // e.g. X-CSRF-Token of the cookie session
      for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
      xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : body.size));
      xhr.addEventListener('load', () => {
        done();
        onProgress(body.size, body.size);
        resolve({ status: xhr.status, text: xhr.responseText });
      });
      xhr.addEventListener('error', () => {
        done();
        reject(new TypeError('network error'));
      });
      xhr.addEventListener('abort', () => {
        done();
        reject(aborted());
      });
      xhr.send(body);
    });
}
