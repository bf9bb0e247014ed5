/**
 * The id an asset was delivered with, as SQL. A file layer's source ids are stored namespaced by
 * their layer, `<dataset id>/<id>`, or `<dataset id>/#<feature number>` when the data had no id
 * (ingest/load/load-sql.ts): what people read is the id itself, or nothing.
 */
const ALIAS = /^[a-z_][a-z0-9_]*$/;

export function deliveredSourceIdSql(alias: string): string {
  if (!ALIAS.test(alias)) throw new Error(`invalid table alias ${JSON.stringify(alias)}`);
  const a = alias;
  return `CASE WHEN ${a}.source_kind = 'file' THEN NULLIF(substr(${a}.source_id, length(${a}.dataset_id::text) + 2), '#' || ${a}.feature_no) ELSE ${a}.source_id END`;
}
