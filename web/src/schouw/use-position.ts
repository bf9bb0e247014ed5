/** The phone's GPS position (watchPosition, high accuracy) and the place chosen by hand. */
import { useEffect, useState } from 'react';

export interface Fix {
  lon: number;
  lat: number;
  /** metres */
  accuracy: number;
}

export type PositionStatus = 'waiting' | 'ok' | 'denied' | 'unavailable';

export interface PositionState {
  status: PositionStatus;
  fix: Fix | null;
}

/** Where a new hotspot goes: the place tapped on the map wins over the GPS. */
export interface ChosenPlace {
  lon: number;
  lat: number;
  accuracy: number | null;
  manual: boolean;
}

export function chosenPlace(gps: Fix | null, manual: { lon: number; lat: number } | null): ChosenPlace | null {
  if (manual) return { lon: manual.lon, lat: manual.lat, accuracy: null, manual: true };
  if (gps) return { lon: gps.lon, lat: gps.lat, accuracy: Math.round(gps.accuracy * 10) / 10, manual: false };
  return null;
}

const PERMISSION_DENIED = 1;
const POSITION_UNAVAILABLE = 2;

export function useGeolocation(geolocation: Geolocation | null): PositionState {
  const [state, setState] = useState<PositionState>(() => ({ status: geolocation ? 'waiting' : 'unavailable', fix: null }));
  useEffect(() => {
    if (!geolocation) return undefined;
    const id = geolocation.watchPosition(
      (position) => {
        const { longitude, latitude, accuracy } = position.coords;
        setState({ status: 'ok', fix: { lon: longitude, lat: latitude, accuracy } });
      },
      (error) => {
        // A timeout keeps the watch going: the next fix may come; a last fix stays usable.
        if (error.code === PERMISSION_DENIED) setState({ status: 'denied', fix: null });
        else if (error.code === POSITION_UNAVAILABLE) setState((before) => (before.fix ? before : { status: 'unavailable', fix: null }));
      },
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: 30_000 },
    );
    return () => geolocation.clearWatch(id);
  }, [geolocation]);
  return state;
}
