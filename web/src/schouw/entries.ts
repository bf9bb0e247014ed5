/** The entries of "my hotspots": one per hotspot, from the outbox, the server and this visit. */
import type { OutboxItem } from './outbox.ts';
import type { HotspotBody, HotspotCollection, HotspotKind } from './types.ts';

export type EntryState = { kind: 'waiting' } | { kind: 'sent' } | { kind: 'failed'; message: string };

export interface ListEntry {
  id: string;
  kind: HotspotKind;
  theme: string;
  note: string;
  hasPhoto: boolean;
  state: EntryState;
  /** for the order: newest first */
  at: string;
}

/** One entry per hotspot: the outbox's view wins, then the server's, then what was sent this visit. */
export function listEntries(outbox: readonly OutboxItem[], server: HotspotCollection | null, sent: ReadonlyMap<string, HotspotBody>): ListEntry[] {
  const entries = new Map<string, ListEntry>();
  for (const item of outbox) {
    const { body } = item;
    const state: EntryState = item.state === 'failed' ? { kind: 'failed', message: item.lastError ?? '' } : { kind: 'waiting' };
    entries.set(item.id, { id: item.id, kind: body.kind, theme: body.theme, note: body.note, hasPhoto: item.photo !== null, state, at: body.observedAt });
  }
  for (const f of server?.features ?? []) {
    const p = f.properties;
    if (!p.own || entries.has(p.id)) continue;
    const at = sent.get(p.id)?.observedAt ?? p.receivedAt ?? '';
    entries.set(p.id, { id: p.id, kind: p.kind, theme: p.theme, note: p.note, hasPhoto: p.hasPhoto, state: { kind: 'sent' }, at });
  }
  for (const [id, body] of sent) {
    if (entries.has(id)) continue;
    entries.set(id, { id, kind: body.kind, theme: body.theme, note: body.note, hasPhoto: false, state: { kind: 'sent' }, at: body.observedAt });
  }
  return [...entries.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}
