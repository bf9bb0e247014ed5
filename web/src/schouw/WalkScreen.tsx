/**
 * The walk on the phone: the map with the GPS position, the form for a new hotspot, the unsent
 * indicator and the list of my hotspots. Saving puts the hotspot in the outbox; the outbox sends.
 */
import type { Feature } from 'geojson';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { BasemapConfig } from '../api/types.ts';
import { WalkApiError } from './api.ts';
import type { SchouwDeps } from './deps.ts';
import { HotspotForm, type NewHotspot } from './HotspotForm.tsx';
import { listEntries } from './entries.ts';
import { HotspotList } from './HotspotList.tsx';
import { formatWalkDate, useSchouwI18n } from './i18n.ts';
import { featureCollection, pointFeature } from './map-style.ts';
import { PositionBar } from './PositionBar.tsx';
import { SchouwMap, type MapHandle } from './SchouwMap.tsx';
import { loadCachedHotspots, saveCachedHotspots } from './session.ts';
import type { HotspotBody, HotspotCollection, Walk } from './types.ts';
import { useOnline } from './use-online.ts';
import { useOutbox } from './use-outbox.ts';
import { chosenPlace, useGeolocation } from './use-position.ts';

interface Props {
  deps: SchouwDeps;
  code: string;
  walk: Walk;
  tokenFor: (code: string) => string | null;
  onUnauthorized: (code: string) => void;
}

export function WalkScreen({ deps, code, walk, tokenFor, onUnauthorized }: Props) {
  const { t, language } = useSchouwI18n();
  const { api, storage } = deps;
  const online = useOnline(deps.outbox.win, deps.online);
  const position = useGeolocation(deps.geolocation);
  const [manual, setManual] = useState<{ lon: number; lat: number } | null>(null);
  const [mapHandle, setMapHandle] = useState<MapHandle | null>(null);
  const [server, setServer] = useState<HotspotCollection | null>(() => loadCachedHotspots(storage, code));
  const [basemap, setBasemap] = useState<BasemapConfig | null>(null);
  const [lastSaved, setLastSaved] = useState<string | null>(null);
  const [refreshes, setRefreshes] = useState(0);
  const refreshServer = useCallback(() => setRefreshes((n) => n + 1), []);
  const outbox = useOutbox(deps.outbox, code, tokenFor, onUnauthorized, refreshServer);

  useEffect(() => {
    let live = true;
    api.config().then(
      (config) => live && setBasemap(config.basemap),
      () => undefined, // offline or no config: the plain background
    );
    return () => {
      live = false;
    };
  }, [api]);

  useEffect(() => {
    const token = tokenFor(code);
    if (!token || !online) return undefined;
    let live = true;
    api.hotspots(token).then(
      (collection) => {
        if (!live) return;
        setServer(collection);
        saveCachedHotspots(storage, code, collection);
      },
      (error: unknown) => {
        if (live && error instanceof WalkApiError && error.status === 401) onUnauthorized(code);
      },
    );
    return () => {
      live = false;
    };
  }, [api, storage, code, tokenFor, onUnauthorized, online, refreshes]);

  const place = chosenPlace(position.fix, manual);
  const closed = walk.status === 'closed';

  const mapHotspots = useMemo(() => {
    const features: Feature[] = [...(server?.features ?? [])];
    const known = new Set(features.map((f) => String(f.properties?.['id'])));
    const pending = (body: HotspotBody): Feature => pointFeature(body.lon, body.lat, { id: body.id, kind: body.kind, own: true, pending: true });
    for (const item of outbox.items) if (!known.has(item.id)) features.push(pending(item.body));
    for (const [id, body] of outbox.sent) if (!known.has(id)) features.push({ ...pending(body), properties: { id, kind: body.kind, own: true } });
    return featureCollection(features);
  }, [server, outbox.items, outbox.sent]);

  const entries = useMemo(() => listEntries(outbox.items, server, outbox.sent), [outbox.items, server, outbox.sent]);

  const save = async (hotspot: NewHotspot): Promise<void> => {
    if (!place) return;
    const body: HotspotBody = {
      id: deps.randomId(),
      kind: hotspot.kind,
      theme: hotspot.theme,
      note: hotspot.note,
      lon: place.lon,
      lat: place.lat,
      accuracy: place.accuracy,
      observedAt: new Date().toISOString(),
    };
    await outbox.queue(body, hotspot.photo);
    setLastSaved(body.id);
    setManual(null);
  };

  const lastSavedWaits = lastSaved !== null && outbox.items.some((item) => item.id === lastSaved);
  const saveStatus = lastSaved === null ? null : outbox.sent.has(lastSaved) ? t('sent') : lastSavedWaits ? t('saved') : null;

  return (
    <main className="walk">
      <div className="walk-head">
        <h1>{walk.title}</h1>
        <p className="muted">{formatWalkDate(language, walk.date)}</p>
      </div>
      <div className="outbox-bar" hidden={outbox.count === 0}>
        <p data-testid="outbox-count" className="outbox-count" hidden={outbox.count === 0} role="status">
          {t('outboxCount', { count: outbox.count })}
        </p>
        {outbox.count > 0 && online && (
          <button type="button" className="button secondary" onClick={outbox.sendNow}>
            {t('sendNow')}
          </button>
        )}
      </div>
      {!online && <p className="notice">{t('offlineBanner')}</p>}
      {!deps.outboxPersistent && <p className="notice">{t('storageMissing')}</p>}
      {closed && <p className="notice">{t('walkClosed')}</p>}

      <SchouwMap
        workerReady={deps.mapWorker}
        walk={walk}
        basemap={basemap}
        hotspots={mapHotspots}
        fix={position.fix}
        manual={manual}
        onPick={(lon, lat) => setManual({ lon, lat })}
        onReady={(handle) => {
          setMapHandle(handle);
          if (handle) deps.onMapReady();
        }}
      />
      <PositionBar
        position={position}
        place={place}
        onUseGps={() => {
          setManual(null);
          if (position.fix) mapHandle?.goTo(position.fix.lon, position.fix.lat);
        }}
        onPlaceCenter={mapHandle ? () => setManual(mapHandle.center()) : null}
      />

      <HotspotForm
        themes={walk.themes}
        place={place}
        closed={closed}
        saveStatus={saveStatus}
        resizeEnv={deps.resizeEnv}
        createUrl={deps.createUrl}
        revokeUrl={deps.revokeUrl}
        onSave={save}
      />
      <HotspotList entries={entries} onDelete={(id) => void outbox.remove(id)} onRetry={(id) => void outbox.retry(id)} />
    </main>
  );
}
