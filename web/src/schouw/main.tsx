/** Entry point of the wijkschouw page (schouw.html): wires the real browser dependencies. */
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createWalkApi } from './api.ts';
import type { SchouwDeps } from './deps.ts';
import { mapWorkerUrl } from './map-worker.ts';
import { browserIndexedDb, createIdbStorage } from './outbox-idb.ts';
import { createMemoryStorage, newHotspotId } from './outbox.ts';
import { browserResizeEnv } from './resize.ts';
import { SchouwApp } from './SchouwApp.tsx';
import { registerServiceWorker } from './sw-register.ts';
import './schouw.css';
import './walk.css';

// Vite bundles the worker separately; without this MapLibre cannot start its workers. The map waits
// for `mapWorker`: the same script as a blob: URL, which also works offline (see map-worker.ts).
maplibregl.setWorkerUrl(workerUrl);
const mapWorker = mapWorkerUrl(workerUrl, (input) => fetch(input), (blob) => URL.createObjectURL(blob)).then((url) => {
  maplibregl.setWorkerUrl(url);
});

function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const serviceWorker = 'serviceWorker' in navigator ? navigator.serviceWorker : null;
const sw = registerServiceWorker(serviceWorker, {
  origin: window.location.origin,
  loaded: () => performance.getEntriesByType('resource').map((entry) => entry.name),
  extra: [workerUrl],
});

const idb = browserIndexedDb(window);
const fetchFn = (input: string, init?: RequestInit): Promise<Response> => fetch(input, init);

const deps: SchouwDeps = {
  api: createWalkApi(fetchFn),
  storage: browserStorage(),
  outbox: { storage: idb ? createIdbStorage(idb) : createMemoryStorage(), fetchFn, win: window, serviceWorker, registration: sw.registration },
  outboxPersistent: idb !== null,
  geolocation: 'geolocation' in navigator ? navigator.geolocation : null,
  resizeEnv: browserResizeEnv(),
  createUrl: (blob) => URL.createObjectURL(blob),
  revokeUrl: (url) => URL.revokeObjectURL(url),
  randomId: () => newHotspotId(crypto),
  location: { pathname: window.location.pathname, search: window.location.search },
  history: window.history,
  online: navigator.onLine,
  mapWorker,
  onMapReady: sw.cacheAssets,
};

const root = document.getElementById('root');
if (!root) throw new Error('schouw.html has no #root');

createRoot(root).render(
  <StrictMode>
    <SchouwApp deps={deps} />
  </StrictMode>,
);
