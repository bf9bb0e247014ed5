/**
 * Pairwise comparison sessions of the atelier (issue 7 §6): the items (hotspots or themes), the
 * choices made, the next pair to show, and the Bradley–Terry ranking (model/ranking.ts) with the
 * number of comparisons behind it.
 */
import type { Pool } from '../db/pool.ts';
import { type Comparison, type Ranking, rankPairwise } from '../model/ranking.ts';

type Db = Pick<Pool, 'query'>;

export interface PairItem { id: string; label: string }
export interface Session { id: number; walkId: number; title: string; items: PairItem[]; status: 'open' | 'closed' }
export interface SessionView { session: Session; ranking: Ranking; next: [PairItem, PairItem] | null; choices: number }

export const SESSION_FIELDS = `s.id, s.walk_id AS "walkId", s.title, s.items, s.status`;

/** The pair compared least often so far (ties: the first in the items' order): every pair gets its turn. */
export function nextPair(items: readonly PairItem[], made: readonly { a: string; b: string }[]): [PairItem, PairItem] | null {
  if (items.length < 2) return null;
  const count = new Map<string, number>();
  const key = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  for (const c of made) count.set(key(c.a, c.b), (count.get(key(c.a, c.b)) ?? 0) + 1);
  let best: [PairItem, PairItem] | null = null;
  let fewest = Infinity;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i] as PairItem;
      const b = items[j] as PairItem;
      const n = count.get(key(a.id, b.id)) ?? 0;
      if (n < fewest) {
        fewest = n;
        best = [a, b];
      }
    }
  }
  return best;
}

/** The stored choices as comparisons for the ranking. */
export function comparisonsOf(rows: readonly { a: string; b: string; choice: 'a' | 'b' | 'tie' }[]): Comparison[] {
  return rows.map((r) => (r.choice === 'tie' ? { a: r.a, b: r.b, tie: true as const } : r.choice === 'a' ? { winner: r.a, loser: r.b } : { winner: r.b, loser: r.a }));
}

export async function sessionView(db: Db, session: Session): Promise<SessionView> {
  const r = await db.query<{ a: string; b: string; choice: 'a' | 'b' | 'tie' }>('SELECT a, b, choice FROM pairwise_choice WHERE session_id = $1 ORDER BY created_at, id', [session.id]);
  const ranking = rankPairwise(session.items.map((i) => i.id), comparisonsOf(r.rows));
  return { session, ranking, next: session.status === 'open' ? nextPair(session.items, r.rows) : null, choices: r.rows.length };
}
