/**
 * Broken inputs: truncated zip, GML cut in the middle of an element, unsafe entry names, a zip
 * without GML, a missing file. Zips are written with fflate into os.tmpdir().
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { parseKlicZip } from './index.ts';
import { isUnsafeEntryName } from './read-zip.ts';
import { KlicImportError } from './types.ts';

const DATA = fileURLToPath(new URL('../../../../data/klic-maasgouw/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'klic-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Write a zip with the given entries (name → content) with fflate. */
function writeZip(path: string, entries: Record<string, string>): void {
  const files = Object.fromEntries(Object.entries(entries).map(([name, text]) => [name, strToU8(text)]));
  writeFileSync(path, zipSync(files));
}

/** The GML entry (name and bytes) of a real delivery. */
function realGml(src: string): { entry: string; data: Uint8Array } {
  const found = Object.entries(unzipSync(new Uint8Array(readFileSync(src)))).find(([n]) => n.includes('GI_gebiedsinformatielevering'));
  if (!found) throw new Error(`${src} has no GML entry`);
  return { entry: found[0], data: found[1] };
}

/**
 * Copy the GML of a real delivery into a new zip, cut inside the text of a gml:posList halfway
 * through the file. Returns the entry name and the (1-based) line of the cut.
 */
function writeCutZip(src: string, out: string): { entry: string; line: number } {
  const { entry, data } = realGml(src);
  const text = strFromU8(data);
  const cut = text.indexOf('<gml:posList>', Math.floor(text.length / 2)) + '<gml:posList>'.length + 5;
  const kept = text.slice(0, cut);
  writeFileSync(out, zipSync({ [entry]: strToU8(kept) }));
  return { entry, line: kept.split('\n').length };
}

async function importError(path: string): Promise<KlicImportError> {
  try {
    await parseKlicZip(path);
  } catch (err) {
    if (err instanceof KlicImportError) return err;
    throw err;
  }
  throw new Error(`expected ${path} to fail`);
}

describe('broken zips', () => {
  it('reports a truncated zip (first 60% of a real delivery) by file name', async () => {
    const bytes = readFileSync(join(DATA, 'Levering_22G003179_1.zip'));
    const path = join(tmp, 'Levering_22G003179_1.zip');
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const err = await importError(path);
    expect(err.fileName).toBe('Levering_22G003179_1.zip');
    expect(err.message).toMatch(/^Levering_22G003179_1\.zip: not a valid zip archive \(end of central directory not found/);
  });

  it('reports a file that is not a zip', async () => {
    const path = join(tmp, 'notes.zip');
    writeFileSync(path, 'just text, no zip');
    expect((await importError(path)).message).toMatch(/^notes\.zip: not a valid zip archive/);
  });

  it('reports a missing file', async () => {
    expect((await importError(join(tmp, 'Levering_nope.zip'))).message).toBe('Levering_nope.zip: file not found');
  });

  it('reports GML cut in the middle of an element with zip, entry and line', async () => {
    const path = join(tmp, 'Levering_22O000518_cut.zip');
    const { entry, line } = writeCutZip(join(DATA, 'Levering_22O000518_1.zip'), path);
    const err = await importError(path);
    expect(entry).toBe('22O000518_1/GI_gebiedsinformatielevering_22O000518_1_V2.xml');
    expect(err.fileName).toBe('Levering_22O000518_cut.zip');
    expect(err.message).toContain(`Levering_22O000518_cut.zip: malformed XML in ${entry} at line ${line}, column `);
    expect(err.message).toMatch(/unclosed tag/);
  });

  it('detects damaged data that is still valid XML (CRC-32 of an uncompressed entry)', async () => {
    const path = join(tmp, 'Levering_22O000518_damaged.zip');
    // Stored (uncompressed), then one digit of a coordinate flipped: still valid XML, wrong CRC.
    const { entry, data } = realGml(join(DATA, 'Levering_22O000518_1.zip'));
    const raw = zipSync({ [entry]: data }, { level: 0 });
    const text = strFromU8(raw, true);
    const at = text.indexOf('<gml:pos>', Math.floor(text.length / 2)) + '<gml:pos>'.length + 2;
    raw[at] = raw[at] === 0x31 ? 0x32 : 0x31;
    writeFileSync(path, raw);
    const err = await importError(path);
    expect(err.message).toBe(
      'Levering_22O000518_damaged.zip: corrupt zip entry 22O000518_1/GI_gebiedsinformatielevering_22O000518_1_V2.xml (CRC-32 mismatch)',
    );
  });

  it('rejects path traversal and absolute entry names', async () => {
    for (const name of ['../GI_gebiedsinformatielevering_x.xml', 'a/../../GI_gebiedsinformatielevering_x.xml']) {
      const path = join(tmp, 'Levering_evil.zip');
      writeZip(path, { [name]: '<x/>' });
      const err = await importError(path);
      expect(err.message).toMatch(/^Levering_evil\.zip: unsafe entry name/);
    }
    expect(isUnsafeEntryName('/etc/GI_gebiedsinformatielevering_x.xml')).toBe(true);
    expect(isUnsafeEntryName('C:/GI_gebiedsinformatielevering_x.xml')).toBe(true);
    expect(isUnsafeEntryName('22G003179_1/GI_gebiedsinformatielevering_22G003179_1_V2.xml')).toBe(false);
  });

  it('rejects a zip without a GI_gebiedsinformatielevering GML entry', async () => {
    const path = join(tmp, 'Levering_empty.zip');
    writeZip(path, { 'readme.txt': 'hello', 'other.xml': '<x/>' });
    expect((await importError(path)).message).toMatch(/^Levering_empty\.zip: no GI_gebiedsinformatielevering_\*\.xml entry/);
  });

  it('copies of real zips keep parsing (sanity check of the temp setup)', async () => {
    const path = join(tmp, 'Levering_22O000518_1.zip');
    copyFileSync(join(DATA, 'Levering_22O000518_1.zip'), path);
    const d = await parseKlicZip(path);
    expect(d.fileName).toBe('Levering_22O000518_1.zip');
    expect(d.gmlEntry).toBe('22O000518_1/GI_gebiedsinformatielevering_22O000518_1_V2.xml');
    expect(d.assets).toHaveLength(891);
  });
});
