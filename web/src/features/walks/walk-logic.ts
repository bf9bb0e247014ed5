/**
 * The pure parts of the facilitator's wijkschouw (issue 7): merging hotspots that arrive (the
 * list, the live stream and moderation answers may bring the same hotspot more than once, in any
 * order), the join link the QR code holds, and the pairwise items made from hotspots.
 */
import type { Hotspot, PairItem } from '../../api/walk-endpoints.ts';

/**
 * Merge arriving hotspots into the current ones by id: of two versions of one hotspot the higher
 * `properties.version` stays (an older or equal one changes nothing, so a late or repeated event
 * cannot undo a newer state). Newest received first, then by id. Answers `current` itself when
 * nothing changed (React can skip a render).
 */
export function mergeHotspots(current: readonly Hotspot[], arriving: readonly Hotspot[]): readonly Hotspot[] {
  const byId = new Map(current.map((h) => [h.properties.id, h]));
  let changed = false;
  for (const h of arriving) {
    const had = byId.get(h.properties.id);
    if (had && had.properties.version >= h.properties.version) continue;
    byId.set(h.properties.id, h);
    changed = true;
  }
  if (!changed) return current;
  return [...byId.values()].sort((a, b) => {
    const t = Date.parse(b.properties.receivedAt) - Date.parse(a.properties.receivedAt);
    if (t !== 0 && !Number.isNaN(t)) return t;
    return a.properties.id < b.properties.id ? -1 : a.properties.id > b.properties.id ? 1 : 0;
  });
}

/** The highest stream position among the hotspots (the live stream resumes after it); null when none. */
export function lastSeq(hotspots: readonly Hotspot[]): number | null {
  let max: number | null = null;
  for (const h of hotspots) if (Number.isFinite(h.properties.seq) && (max === null || h.properties.seq > max)) max = h.properties.seq;
  return max;
}

/** The link a participant opens to join (and the text of the QR code): `<origin>/schouw/<CODE>`. */
export function joinLink(origin: string, code: string): string {
  return `${origin.replace(/\/+$/, '')}/schouw/${encodeURIComponent(code.trim().toUpperCase())}`;
}

/** The code spelt out for a screen reader ("K 7 M 2 Q X"), so it is not read as a word. */
export const spellCode = (code: string): string => [...code].join(' ');

/** Cut a text to at most `max` characters (an ellipsis included) on one line. */
export function truncate(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** The published knelpunten as items of a pairwise session: id = the hotspot's id, label = "theme: note" (note cut to 60). */
export function hotspotPairItems(hotspots: readonly Hotspot[]): PairItem[] {
  return hotspots
    .filter((h) => h.properties.kind === 'knelpunt' && h.properties.status === 'published')
    .slice(0, 60)
    .map((h) => {
      const note = truncate(h.properties.note, 60);
      return { id: h.properties.id, label: note === '' ? h.properties.theme : `${h.properties.theme}: ${note}` };
    });
}

/** A hotspot's position as a small box around it, for the map to fly to. */
export function hotspotBbox(h: Hotspot, pad = 0.0006): [number, number, number, number] | null {
  const [lon, lat] = h.geometry.coordinates;
  if (lon === undefined || lat === undefined) return null;
  return [lon - pad, lat - pad, lon + pad, lat + pad];
}
