/**
 * Messages between a load (parallel-stage.ts) and its staging workers (stage-worker.ts). Plain data
 * only: everything here crosses a thread by structured clone, the row bytes by transfer.
 */
import type { AssetMapping, InvalidPolicy } from '../../model/asset-mapping.ts';
import type { FeatureRanges, ReopenSpec, Share } from '../formats/types.ts';
import type { FeatureIssue } from './report.ts';

export interface StageSetup {
  mapping: AssetMapping;
  policy: InvalidPolicy;
  idPrefix: string;
  /** the source's CRS and the working CRS */
  sourceEpsg: number;
  srid: number;
  fixedOwner: number | null;
  ownerIds: [string, number][];
  ownerNames: [number, string][];
}

/** what a worker starts with: it opens its source at once, before the load has its dataset */
export interface WorkerInit {
  reopen: ReopenSpec;
  share: Share;
  /** the load's thread finds the features and sends each chunk's places (OpenedSource.ranges); else the worker reads its share itself */
  ranged: boolean;
}

/** the load's go-ahead: how to stage, and how many chunks the worker may hand over before the load has taken the first */
export interface StageGo {
  type: 'go';
  stage: StageSetup;
  credits: number;
}

export interface IssuesOut {
  items: FeatureIssue[];
  count: number;
}

/** The staged rows of one chunk of the worker's share (features ⌊(index − 1) ÷ size⌋ = chunk). */
export interface ChunkOut {
  type: 'chunk';
  chunk: number;
  /** binary COPY rows (copy-binary.ts) in its first `rowsLength` bytes, transferred */
  rows: ArrayBuffer;
  rowsLength: number;
  /** features of the chunk the reader gave, rejected ones included */
  read: number;
  staged: number;
  rejected: IssuesOut;
  repaired: IssuesOut;
  /** lines PostGIS must judge, or every row (checkAll) */
  suspects: number[];
  checkAll: boolean;
  /** two 32-bit hashes per source id from the data (repeat-detector.ts hashId), transferred */
  idHashes: ArrayBuffer;
}

export interface SerializedError {
  name: string;
  message: string;
  /** an ImportInputError's answer */
  input?: { status: 400 | 413 | 415; code: string; where: string };
}

export type FromWorker = ChunkOut | { type: 'owners'; refs: string[] } | { type: 'done' } | { type: 'error'; error: SerializedError };

export type ToWorker =
  | StageGo
  | { type: 'ack' }
  | { type: 'owners'; ids: [string, number][]; names: [number, string][] }
  /** a chunk of the worker's share, found by the load's thread; null: there are no more */
  | { type: 'ranges'; ranges: FeatureRanges | null };
