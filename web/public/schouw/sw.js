/* global self, caches, fetch, Request, Response, URL, setTimeout */
/*
 * Service worker of the Samenhang wijkschouw (scope /schouw/). Plain JS, no build step.
 *
 * - install: cache the page (/schouw: the same HTML for every walk code), the manifest and icons.
 * - navigations: network first (4 s at most when a cached copy exists), else the cached page.
 * - same-origin GET /assets/ (Vite's hashed JS/CSS, MapLibre's worker): cache first, stored when
 *   fetched. The first visit loads them before this worker runs; the page then posts their paths.
 * - other same-origin GETs under /schouw/ (manifest, icons): network first, else the cache.
 * - /api/ is never cached or answered from a cache.
 * - Background Sync (where the browser has it): tells the open pages to send their outbox.
 */
const CACHE = 'samenhang-schouw-v1';
const SHELL = '/schouw';
const STATIC = ['/schouw/manifest.webmanifest', '/schouw/icon.svg', '/schouw/icon-192.png'];
const NAVIGATION_TIMEOUT_MS = 4000;
const CACHE_ASSETS_MESSAGE = 'schouw-cache-assets';
const SYNC_TAG = 'schouw-outbox';
const SYNC_MESSAGE = 'schouw-outbox-sync';

const isAsset = (url) => url.origin === self.location.origin && url.pathname.startsWith('/assets/');
const isStatic = (url) => url.origin === self.location.origin && url.pathname.startsWith('/schouw/');
const isApi = (url) => url.pathname.startsWith('/api/') || url.pathname === '/api';

/** A response that can be cached and served for a navigation (no redirect flag, body read once). */
async function storable(response) {
  if (!response.redirected) return response;
  const body = await response.blob();
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

async function precache(path) {
  const cache = await caches.open(CACHE);
  const response = await fetch(new Request(path, { cache: 'reload', credentials: 'same-origin' }));
  if (response.ok) await cache.put(path, await storable(response));
}

self.addEventListener('install', (event) => {
  // Offline at install: the worker installs anyway; the first online navigation fills the cache.
  const each = [SHELL, ...STATIC].map((path) => precache(path).catch(() => undefined));
  event.waitUntil(Promise.all(each).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('samenhang-schouw-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

async function fromCache() {
  const cache = await caches.open(CACHE);
  return cache.match(SHELL);
}

async function navigate(request) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then(async (response) => {
    if (response.ok && (response.headers.get('content-type') || '').includes('text/html')) {
      // the same page for every walk code: one copy, under /schouw
      await cache.put(SHELL, await storable(response.clone()));
    }
    return response;
  });
  const cached = await fromCache();
  if (!cached) return network;
  // A server error (e.g. a proxy without its backend) is no better than being offline.
  const answer = network.then((response) => (response.status >= 500 ? cached : response));
  // A slow connection: after a few seconds the cached page is better than waiting.
  const timeout = new Promise((resolve) => setTimeout(() => resolve(cached), NAVIGATION_TIMEOUT_MS));
  return Promise.race([answer.catch(() => cached), timeout]);
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function staticFile(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (isApi(url)) return; // straight to the network, never cached
  if (request.mode === 'navigate') {
    event.respondWith(navigate(request));
    return;
  }
  if (isAsset(url)) event.respondWith(asset(request));
  else if (isStatic(url)) event.respondWith(staticFile(request));
});

/** The page lists the /assets/ files it loaded before this worker controlled it. */
async function cacheAssets(paths) {
  const cache = await caches.open(CACHE);
  for (const path of paths) {
    if (typeof path !== 'string' || !path.startsWith('/assets/')) continue;
    if (await cache.match(path)) continue;
    try {
      const response = await fetch(path, { credentials: 'same-origin' });
      if (response.ok) await cache.put(path, response);
    } catch {
      // offline again: the next visit stores it
    }
  }
}

self.addEventListener('message', (event) => {
  const data = event.data;
  if (data && data.type === CACHE_ASSETS_MESSAGE && Array.isArray(data.paths)) event.waitUntil(cacheAssets(data.paths.slice(0, 100)));
});

self.addEventListener('sync', (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(
    self.clients
      .matchAll({ type: 'window', includeUncontrolled: true })
      .then((clients) => clients.forEach((client) => client.postMessage({ type: SYNC_MESSAGE }))),
  );
});
