/** Everything the wijkschouw page takes from the browser, wired in main.tsx (fakes in tests). */
import type { WalkApi } from './api.ts';
import type { ResizeEnv } from './resize.ts';
import type { OutboxDeps } from './use-outbox.ts';

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface SchouwDeps {
  api: WalkApi;
  /** localStorage: device tokens, the walk and the language */
  storage: KeyValueStorage | null;
  outbox: OutboxDeps;
  /** false when IndexedDB is missing and the outbox lives in memory only */
  outboxPersistent: boolean;
  geolocation: Geolocation | null;
  resizeEnv: ResizeEnv;
  createUrl: (blob: Blob) => string;
  revokeUrl: (url: string) => void;
  /** uuid v4 */
  randomId: () => string;
  location: { pathname: string; search: string };
  history: Pick<History, 'replaceState'> | null;
  /** navigator.onLine at start */
  online: boolean;
  /** Resolves when MapLibre's worker URL is set: the map is made after it. */
  mapWorker: Promise<void>;
  /** The map has drawn: a moment to let the service worker cache what the page loaded. */
  onMapReady: () => void;
}
