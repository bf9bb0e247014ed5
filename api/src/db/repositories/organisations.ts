import { orgKindFromBronhoudercode } from '../../model/organisation.ts';
import type { Client } from '../pool.ts';

/** Upsert organisations by KLIC bronhoudercode; returns code → id. */
export async function upsertKlicOrganisations(
  client: Client,
  orgs: readonly { code: string; name: string }[],
): Promise<Map<string, number>> {
  const rows = orgs.map((o) => ({ code: o.code, name: o.name, kind: orgKindFromBronhoudercode(o.code, o.name) }));
  const res = await client.query<{ id: number; klic_code: string }>(
    `INSERT INTO organisation (klic_code, name, kind)
     SELECT code, name, kind FROM json_to_recordset($1::json) AS o(code text, name text, kind text)
     ON CONFLICT (klic_code) DO UPDATE SET name = EXCLUDED.name
     RETURNING id, klic_code`,
    [JSON.stringify(rows)],
  );
  return new Map(res.rows.map((r) => [r.klic_code, r.id]));
}

/** Organisation known only by name (e.g. the excavator of a KLIC request). */
export async function upsertNamedOrganisation(client: Client, name: string): Promise<number> {
  const res = await client.query<{ id: number }>(
    `INSERT INTO organisation (name, kind) VALUES ($1, 'overig')
     ON CONFLICT (name) WHERE klic_code IS NULL DO UPDATE SET name = EXCLUDED.name
     RETURNING id`,
    [name],
  );
  const id = res.rows[0]?.id;
  if (id === undefined) throw new Error(`could not store organisation ${name}`);
  return id;
}
