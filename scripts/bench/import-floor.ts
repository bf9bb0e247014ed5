/**
 * The database's share of a load, alone: the rows our load just wrote, read back as binary COPY
 * (untimed, the format a load sends), then timed through exactly the SQL of a load (api/src/ingest/load/load-sql.ts: new
 * table, COPY, GiST + BRIN, ATTACH as a partition) with Node doing nothing but streaming the bytes
 * from a file. No parsing, checking or mapping can make a load faster than this, so
 * N ÷ floor time ÷ GDAL's features/s is the best ratio this machine allows our storage.
 * Rolled back: the measured database keeps only the real load.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { LOAD_COLUMNS } from '../../api/src/ingest/load/stage-features.ts';
import * as SQL from '../../api/src/ingest/load/load-sql.ts';
import { withClient } from './bench-db.ts';

export async function measureDatabaseFloor(url: string, rowsFile: string): Promise<number> {
  return withClient(url, async (c) => {
    const ds = await c.query<{ id: number }>("SELECT id FROM dataset WHERE source_kind = 'file' ORDER BY id DESC LIMIT 1");
    const loaded = ds.rows[0]?.id;
    if (loaded === undefined) throw new Error('floor: no loaded file layer to read the rows from');
    const cols = LOAD_COLUMNS.join(', ');
    await pipeline(c.query(copyTo(`COPY (SELECT ${cols} FROM ${SQL.layerTable(loaded)} ORDER BY feature_no) TO STDOUT (FORMAT binary)`)), createWriteStream(rowsFile));
    try {
      await c.query('BEGIN');
      // a second dataset row like the loaded one, so ATTACH checks the same foreign keys
      const copy = await c.query<{ id: number }>(`INSERT INTO dataset (name, source_kind, source_ref, content_sha256, owner_id, layer_name, format, crs, mapping, source_layer)
        SELECT name, source_kind, source_ref || '#floor', content_sha256, owner_id, layer_name, format, crs, mapping, source_layer FROM dataset WHERE id = $1 RETURNING id`, [loaded]);
      const id = copy.rows[0]?.id;
      if (id === undefined) throw new Error('floor: dataset copy returned no id');
      const started = process.hrtime.bigint();
      for (const sql of SQL.createLoadTable(id)) await c.query(sql);
      await pipeline(createReadStream(rowsFile, { highWaterMark: 1 << 20 }), c.query(copyFrom(`COPY ${SQL.loadTable(id)} (${cols}) FROM STDIN (FORMAT binary)`)));
      await c.query("SET LOCAL maintenance_work_mem = '256MB'");
      for (const sql of SQL.indexLoadTable(id)) await c.query(sql);
      for (const sql of SQL.swapIn(id, false)) await c.query(sql);
      return Number(process.hrtime.bigint() - started) / 1e6;
    } finally {
      await c.query('ROLLBACK');
      await rm(rowsFile, { force: true });
    }
  });
}
