/**
 * The service worker of the wijkschouw (web/public/schouw/sw.js, scope /schouw/). It caches the
 * page and, at runtime, the hashed /assets/ files the page loads. The first visit loads them before
 * the worker runs, so the page tells it which files it loaded (and MapLibre's worker script).
 *
 * The page may start at /schouw, outside the scope: `navigator.serviceWorker.ready` then never
 * resolves, so everything here waits on the registration itself.
 */
export const SW_URL = '/schouw/sw.js';
export const SW_SCOPE = '/schouw/';
export const CACHE_ASSETS_MESSAGE = 'schouw-cache-assets';

/** Same-origin /assets/ URLs among the loaded resources, each once, as paths. */
export function shellAssetPaths(urls: readonly string[], origin: string): string[] {
  const paths = new Set<string>();
  for (const raw of urls) {
    let url: URL;
    try {
      url = new URL(raw, origin);
    } catch {
      continue;
    }
    if (url.origin === origin && url.pathname.startsWith('/assets/')) paths.add(url.pathname);
  }
  return [...paths];
}

export interface ShellAssetSource {
  origin: string;
  /** performance.getEntriesByType('resource') names */
  loaded(): string[];
  /** scripts the page will load later (the map worker) */
  extra: readonly string[];
}

/** The registration's active worker, once there is one. */
export function activeWorker(registration: ServiceWorkerRegistration): Promise<ServiceWorker> {
  if (registration.active) return Promise.resolve(registration.active);
  return new Promise((resolve) => {
    const check = (): void => {
      if (registration.active) resolve(registration.active);
    };
    for (const worker of [registration.installing, registration.waiting]) worker?.addEventListener('statechange', check);
    registration.addEventListener('updatefound', () => registration.installing?.addEventListener('statechange', check));
  });
}

export interface ServiceWorkerHandle {
  /** The registration (null where there are no service workers or registering failed). */
  registration: Promise<ServiceWorkerRegistration | null>;
  /** Ask the worker (again) to cache the /assets/ files loaded so far. */
  cacheAssets(): void;
}

export function registerServiceWorker(container: ServiceWorkerContainer | null, source: ShellAssetSource): ServiceWorkerHandle {
  if (!container) return { registration: Promise.resolve(null), cacheAssets: () => undefined };
  const registration = container.register(SW_URL, { scope: SW_SCOPE }).catch((error: unknown) => {
    console.warn('[schouw] service worker', error);
    return null;
  });
  const cacheAssets = (): void => {
    void registration
      .then((reg) => (reg ? activeWorker(reg) : null))
      .then((worker) => {
        const paths = shellAssetPaths([...source.loaded(), ...source.extra], source.origin);
        if (worker && paths.length > 0) worker.postMessage({ type: CACHE_ASSETS_MESSAGE, paths });
      })
      .catch(() => undefined);
  };
  cacheAssets();
  return { registration, cacheAssets };
}
