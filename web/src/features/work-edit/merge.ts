/**
 * Three-way merge after a 412 (someone saved the item after the user loaded it): `base` is what
 * the user loaded, `mine` the form, `theirs` the current state on the server. A field changed on
 * one side only takes that side's value by itself; a field both changed, to different values, is
 * a conflict the user decides. Fields equal on both sides need nothing. The result is then sent
 * as a change against `theirs` with its ETag, so nobody's update is lost. Pure.
 */
import { sameValue } from './form-common.ts';

export type Side = 'mine' | 'theirs';

export interface MergeRow<F extends string> {
  field: F;
  base: unknown;
  mine: unknown;
  theirs: unknown;
  /** Both changed it, differently: the user chooses. */
  conflict: boolean;
  /** The side taken by itself (the only one that changed it); null for a conflict. */
  auto: Side | null;
}

export interface MergePlan<F extends string> {
  /** The fields where mine and theirs differ, in field order. */
  rows: MergeRow<F>[];
}

export type MergeChoices<F extends string> = Partial<Record<F, Side>>;

export function threeWayMerge<F extends string>(
  fields: readonly F[],
  base: Readonly<Record<F, unknown>>,
  mine: Readonly<Record<F, unknown>>,
  theirs: Readonly<Record<F, unknown>>,
): MergePlan<F> {
  const rows: MergeRow<F>[] = [];
  for (const field of fields) {
    if (sameValue(mine[field], theirs[field])) continue;
    const mineChanged = !sameValue(base[field], mine[field]);
    const theirsChanged = !sameValue(base[field], theirs[field]);
    const conflict = mineChanged && theirsChanged;
    const auto: Side | null = conflict ? null : mineChanged ? 'mine' : 'theirs';
    rows.push({ field, base: base[field], mine: mine[field], theirs: theirs[field], conflict, auto });
  }
  return { rows };
}

export const conflicts = <F extends string>(plan: MergePlan<F>): F[] => plan.rows.filter((r) => r.conflict).map((r) => r.field);

/** The choice of each row: the user's, else the automatic one (null for an undecided conflict). */
export function choiceOf<F extends string>(row: MergeRow<F>, choices: MergeChoices<F>): Side | null {
  return choices[row.field] ?? row.auto;
}

/** The conflicts still undecided. */
export function unresolved<F extends string>(plan: MergePlan<F>, choices: MergeChoices<F>): F[] {
  return plan.rows.filter((r) => choiceOf(r, choices) === null).map((r) => r.field);
}

/**
 * The merged values: theirs, with mine where chosen (or taken by itself). Throws when a conflict
 * is undecided: a merge never picks a side silently for a field both changed.
 */
export function resolveMerge<F extends string, V extends Readonly<Record<F, unknown>>>(plan: MergePlan<F>, choices: MergeChoices<F>, mine: V, theirs: V): V {
  const open = unresolved(plan, choices);
  if (open.length > 0) throw new Error(`undecided: ${open.join(', ')}`);
  const merged: Record<string, unknown> = { ...theirs };
  for (const row of plan.rows) {
    if (choiceOf(row, choices) === 'mine') merged[row.field] = mine[row.field];
  }
  return merged as V;
}
