/**
 * The attribute columns every export writes, in order: one registry so GeoJSON properties, CSV
 * columns and GeoPackage fields cannot drift apart. The model columns of migrations 001 and 002
 * are listed explicitly (internal ones such as content_hash stay out; 002's may be missing); `sql` is a constant
 * expression over `asset a` and `organisation o`, never built from input.
 */
import { deliveredSourceIdSql } from '../db/sql/source-id.ts';

export type ColumnType = 'integer' | 'text' | 'real' | 'date' | 'json';

export interface ExportColumn {
  name: string;
  sql: string;
  type: ColumnType;
  /**
   * The asset column this one needs when it is not in every schema (migration 002 adds it):
   * without it the export writes NULL, so the file layout never depends on the database.
   */
  requires?: string;
}

/** The PostgreSQL type of a column that is written as a typed NULL. */
export const NULL_SQL: Readonly<Record<ColumnType, string>> = {
  integer: 'NULL::integer',
  text: 'NULL::text',
  real: 'NULL::float8',
  date: 'NULL::text',
  json: 'NULL::jsonb',
};

export const ASSET_COLUMNS: readonly ExportColumn[] = [
  { name: 'id', sql: 'a.id', type: 'integer' },
  // the id the feature was delivered with (a file layer's are stored namespaced: db/sql/source-id.ts)
  { name: 'source_id', sql: deliveredSourceIdSql('a'), type: 'text' },
  { name: 'system', sql: 'a.system', type: 'text' },
  { name: 'owner', sql: 'o.name', type: 'text' },
  { name: 'asset_class', sql: 'a.asset_class', type: 'text' },
  { name: 'theme', sql: 'a.theme', type: 'text' },
  { name: 'status', sql: 'a.status', type: 'text' },
  // ::text keeps the ISO date as written; no JS Date and no time-zone shift.
  { name: 'in_service_date', sql: 'a.in_service_date::text', type: 'date' },
  { name: 'in_service_year', sql: 'a.in_service_year', type: 'integer', requires: 'in_service_year' },
  { name: 'material', sql: 'a.material', type: 'text' },
  { name: 'diameter_mm', sql: 'a.diameter_mm', type: 'real' },
  { name: 'voltage_v', sql: 'a.voltage_v', type: 'real' },
  { name: 'pressure_bar', sql: 'a.pressure_bar', type: 'real' },
  { name: 'condition', sql: 'a.condition', type: 'text', requires: 'condition' },
  { name: 'replacement_year', sql: 'a.replacement_year', type: 'integer', requires: 'replacement_year' },
  { name: 'label', sql: 'a.label', type: 'text' },
  { name: 'attributes', sql: 'a.attributes', type: 'json' },
];

/** CSV keeps to the flat, spreadsheet-friendly columns: the free-form `attributes` stay out. */
export const CSV_COLUMNS: readonly ExportColumn[] = ASSET_COLUMNS.filter((c) => c.type !== 'json');

/** A cell as read from PostgreSQL for the flat formats (json columns arrive as text). */
export type CellValue = string | number | null;
