/**
 * Optimistic concurrency for editable items (works, moratoria): a version per row, shown as a
 * strong ETag `"<kind>-<id>-v<version>"`; a change names the version it was based on with
 * If-Match. No If-Match is 428; a stale one is 412 with the current state, so the client can
 * show both versions and merge.
 */
import type { Request, Response } from 'express';
import { HttpError, notFound } from './errors.ts';

export type ItemKind = 'work' | 'moratorium';

export const etagOf = (kind: ItemKind, id: number, version: number): string => `"${kind}-${id}-v${version}"`;

/** The version an If-Match names, or 428 when it is missing. */
export function expectedVersion(req: Request, kind: ItemKind, id: number): number {
  const tag = req.get('if-match');
  const path = kind === 'work' ? 'works' : 'moratoria';
  if (!tag) throw new HttpError(428, 'if_match_required', `send If-Match with the ETag of ${kind} ${id} (GET /api/${path}/${id})`);
  const m = new RegExp(`^"${kind}-(\\d+)-v(\\d+)"$`).exec(tag.trim());
  if (!m || Number(m[1]) !== id) throw new HttpError(412, 'stale', `If-Match ${tag} is not an ETag of ${kind} ${id}`);
  return Number(m[2]);
}

/** Thrown after the 412 has been sent; the route catches it and stops. */
export class StaleSent extends Error {}

/** Answers 412 with the current state (404 when it is gone) and throws StaleSent. */
export async function sendStale(
  res: Response, kind: ItemKind, id: number, read: () => Promise<(Record<string, unknown> & { version: number }) | null>,
): Promise<never> {
  const current = await read();
  if (!current) throw notFound(`${kind} ${id}`);
  res.set('ETag', etagOf(kind, id, current.version));
  res.status(412).json({ error: { status: 412, code: 'stale', message: `${kind} ${id} changed since you read it (now version ${current.version})` }, current });
  throw new StaleSent();
}

/** Runs a change; a StaleSent (412 already answered) ends it quietly. */
export async function guarded(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof StaleSent)) throw err;
  }
}
