import type { Writable } from 'node:stream';

/**
 * Write with backpressure: resolves true once `out` can take more, false when it has closed
 * (the client went away), so the caller stops reading from the database instead of buffering.
 */
export function writeChunk(out: Writable, chunk: string | Buffer): Promise<boolean> {
  if (out.destroyed || out.writableEnded) return Promise.resolve(false);
  if (out.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onDrain = (): void => settle(true);
    const onClose = (): void => settle(false);
    function settle(ok: boolean): void {
      out.off('drain', onDrain);
      out.off('close', onClose);
      resolve(ok);
    }
    out.on('drain', onDrain);
    out.on('close', onClose);
  });
}

/** End the stream and wait until it is flushed (or closed underneath us). */
export function endStream(out: Writable): Promise<void> {
  if (out.destroyed || out.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    out.once('close', () => resolve());
    out.end(() => resolve());
  });
}
