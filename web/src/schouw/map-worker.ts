/**
 * MapLibre's worker script for the phone map. The worker is fetched by the page (so the service
 * worker's cache answers it when offline: browsers do not all send a dedicated worker's own script
 * request through the page's service worker) and handed to MapLibre as a blob: URL, which the CSP
 * allows (`worker-src 'self' blob:`). When the fetch fails, the plain URL is kept.
 */
export async function mapWorkerUrl(url: string, fetchFn: (input: string) => Promise<Response>, createUrl: (blob: Blob) => string): Promise<string> {
  try {
    const response = await fetchFn(url);
    if (!response.ok) return url;
    return createUrl(new Blob([await response.arrayBuffer()], { type: 'text/javascript' }));
  } catch {
    return url;
  }
}
