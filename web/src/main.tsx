/** Entry point: wires the real browser dependencies into the app. */
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/client.ts';
import { createXhrUploader } from './api/xhr-upload.ts';
import { App } from './app/App.tsx';
import { loadStyleSources } from './layers/style-sources.ts';

// Vite bundles the worker separately; without this MapLibre cannot start its workers.
maplibregl.setWorkerUrl(workerUrl);

function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <App
      api={createApiClient((input, init) => fetch(input, init), '', createXhrUploader(() => new XMLHttpRequest()))}
      storage={browserStorage()}
      styles={loadStyleSources()}
      origin={window.location.origin}
      openEvents={typeof EventSource === 'undefined' ? null : (url) => new EventSource(url)}
    />
  </StrictMode>,
);
