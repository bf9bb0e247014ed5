/**
 * Reading files in chunks: a byte-counting chunk stream for the text readers and a sequential
 * binary reader (for .shp/.dbf) that holds one buffer, never the whole file.
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

export const CHUNK_BYTES = 1024 * 1024;

export interface ByteProgress {
  bytesRead: number;
  bytesTotal: number;
}

/** The file's bytes in chunks of about `chunkBytes`; adds each chunk's size to `progress.bytesRead`. */
export async function* readChunks(path: string, progress: ByteProgress, chunkBytes = CHUNK_BYTES): AsyncGenerator<Buffer> {
  const stream = createReadStream(path, { highWaterMark: chunkBytes });
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      progress.bytesRead += buf.length;
      yield buf;
    }
  } finally {
    stream.destroy();
  }
}

/** Reads a file front to back; `need(n)` makes n bytes available at `pos` in `buf`. */
export class SequentialReader {
  buf: Buffer;
  pos = 0;
  private end = 0;
  private fileOffset = 0;
  private eof = false;

  private constructor(
    private readonly fh: FileHandle,
    private readonly progress: ByteProgress | null,
    chunkBytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  static async open(path: string, progress: ByteProgress | null = null, chunkBytes = CHUNK_BYTES): Promise<SequentialReader> {
    return new SequentialReader(await open(path, 'r'), progress, chunkBytes);
  }

  /** bytes available after pos without reading */
  get available(): number {
    return this.end - this.pos;
  }

  /** Make `n` bytes available at `pos`; false when the file ends first. */
  async need(n: number): Promise<boolean> {
    while (this.end - this.pos < n) {
      if (this.eof) return false;
      this.compact(n);
      const { bytesRead } = await this.fh.read(this.buf, this.end, this.buf.length - this.end, this.fileOffset);
      if (bytesRead === 0) this.eof = true;
      this.end += bytesRead;
      this.fileOffset += bytesRead;
      if (this.progress) this.progress.bytesRead += bytesRead;
    }
    return true;
  }

  /** Move unread bytes to the front and grow the buffer when a record does not fit. */
  private compact(n: number): void {
    const unread = this.end - this.pos;
    const size = Math.max(this.buf.length, n);
    if (size > this.buf.length) {
      const bigger = Buffer.allocUnsafe(size);
      this.buf.copy(bigger, 0, this.pos, this.end);
      this.buf = bigger;
    } else if (this.pos > 0) {
      this.buf.copy(this.buf, 0, this.pos, this.end);
    }
    this.pos = 0;
    this.end = unread;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** The first `n` bytes of a file (fewer when it is shorter). */
export async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
