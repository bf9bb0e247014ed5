/**
 * A staging worker thread (parallel-stage.ts starts one per share): opens the same dataset again,
 * reads its share of the features (the readers pass over the others without decoding them), and
 * reprojects, checks, maps and writes them as binary COPY rows exactly as a load on one thread
 * does (stage-features.ts). The rows go back per chunk, in file order, as transferred bytes; the
 * load writes them to PostgreSQL in the order of the file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { reopenSource } from '../formats/index.ts';
import { type FeatureRanges, ImportInputError, type OpenedSource, type SourceFeature, inShare } from '../formats/types.ts';
import { BinaryRows } from './copy-binary.ts';
import { hashId } from './repeat-detector.ts';
import { type StageContext, stageContext, stageFeature, unknownOwners } from './stage-features.ts';
import type { ChunkOut, FromWorker, SerializedError, StageGo, ToWorker, WorkerInit } from './stage-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('stage-worker.ts runs as a worker thread');
const init = workerData as WorkerInit;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

/** Source ids hashed as they come (the load's RepeatDetector takes the hashes). */
class IdHashes {
  private out = new Uint32Array(2 * 4096);
  private n = 0;
  add(id: string): void {
    if (this.n + 2 > this.out.length) {
      const next = new Uint32Array(this.out.length * 2);
      next.set(this.out);
      this.out = next;
    }
    hashId(id, this.out, this.n);
    this.n += 2;
  }
  take(): ArrayBuffer {
    const bytes = this.out.slice(0, this.n).buffer;
    this.n = 0;
    return bytes;
  }
}

let credits = 0;
let creditWaiter: (() => void) | null = null;
let ownersWaiter: ((m: Extract<ToWorker, { type: 'owners' }>) => void) | null = null;
let goAhead: (m: StageGo) => void = () => undefined;
const go = new Promise<StageGo>((resolve) => (goAhead = resolve));
/** chunks found by the load's thread (init.ranged), and who waits for the next */
const ranges: (FeatureRanges | null)[] = [];
let rangesWaiter: (() => void) | null = null;
port.on('message', (m: ToWorker) => {
  if (m.type === 'go') goAhead(m);
  else if (m.type === 'ranges') {
    ranges.push(m.ranges);
    rangesWaiter?.();
    rangesWaiter = null;
  }
  else if (m.type === 'ack') {
    credits++;
    creditWaiter?.();
    creditWaiter = null;
  } else ownersWaiter?.(m);
});

async function resolveOwners(ctx: StageContext, refs: string[]): Promise<void> {
  const reply = new Promise<Extract<ToWorker, { type: 'owners' }>>((resolve) => {
    ownersWaiter = resolve;
  });
  send({ type: 'owners', refs });
  const m = await reply;
  ownersWaiter = null;
  for (const [k, v] of m.ids) (ctx.ownerIds as Map<string, number>).set(k, v);
  for (const [k, v] of m.names) ctx.ownerNames.set(k, v);
}

/** The worker's share as the load's thread sends it: each chunk read and parsed here. */
async function* rangedBatches(source: OpenedSource): AsyncIterable<SourceFeature[]> {
  const reader = source.ranges;
  if (reader === undefined) throw new Error(`${source.fileName}: this source cannot be read by ranges`);
  for (;;) {
    if (ranges.length === 0) await new Promise<void>((r) => (rangesWaiter = r));
    const next = ranges.shift();
    if (next === undefined) continue;
    if (next === null) return;
    yield await reader.read(next);
  }
}

async function run(): Promise<void> {
  const source = await reopenSource(init.reopen);
  const { stage, credits: initial } = await go;
  credits += initial;
  const ctx = stageContext(stage, { ids: new Map(stage.ownerIds), names: new Map(stage.ownerNames) }, new IdHashes());
  const hashes = ctx.repeats as IdHashes;
  const rows = new BinaryRows();
  let chunk = -1;
  let read = 0;
  let staged = 0;
  const flush = async (): Promise<void> => {
    if (chunk < 0) return;
    if (credits === 0) await new Promise<void>((r) => (creditWaiter = r));
    credits--;
    const bytes = rows.take();
    const out: ChunkOut = {
      type: 'chunk', chunk, rows: bytes.buffer as ArrayBuffer, rowsLength: bytes.length, read, staged,
      rejected: { items: ctx.rejected.items.splice(0), count: ctx.rejected.count }, repaired: { items: ctx.repaired.items.splice(0), count: ctx.repaired.count },
      suspects: ctx.suspects.splice(0), checkAll: ctx.checkAll, idHashes: hashes.take(),
    };
    ctx.rejected.count = 0;
    ctx.repaired.count = 0;
    ctx.checkAll = false;
    read = 0;
    staged = 0;
    send(out, [out.rows, out.idHashes]);
  };
  try {
    for await (const batch of init.ranged ? rangedBatches(source) : source.features(init.share.size, init.share)) {
      const mine: SourceFeature[] = batch.filter((f) => inShare(init.share, f.index));
      const unknown = unknownOwners(ctx, mine);
      if (unknown.length > 0) await resolveOwners(ctx, unknown);
      for (const f of mine) {
        const c = Math.floor((f.index - 1) / init.share.size);
        if (c !== chunk) {
          await flush();
          chunk = c;
        }
        read++;
        if (stageFeature(ctx, f, rows)) staged++;
      }
    }
    await flush();
  } finally {
    await source.close();
  }
  send({ type: 'done' });
}

function serialize(err: unknown): SerializedError {
  if (err instanceof ImportInputError) return { name: err.name, message: err.message, input: { status: err.status, code: err.code, where: err.where } };
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
}

run().catch((err: unknown) => send({ type: 'error', error: serialize(err) }));
