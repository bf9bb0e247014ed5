/**
 * `npm run import` starts the import CLI from a bundle of api/src (scripts/lib/cli-bundle.mjs).
 * The bundle must start like the sources do and be rebuilt when a source file changes.
 */
import { spawnSync } from 'node:child_process';
import { statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_BUNDLE, cliBundle } from '../../scripts/lib/cli-bundle.mjs';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('the bundled import CLI', () => {
  it('starts and answers like the sources: usage and exit code 1 without a file', async () => {
    const bundle = await cliBundle();
    const r = spawnSync(process.execPath, [...NODE_BUNDLE, bundle], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('usage: npm run import --');
  });

  it('is rebuilt when a source file changed, and reused while nothing did', async () => {
    const bundle = await cliBundle();
    const built = statSync(bundle).mtimeMs;
    expect(await cliBundle()).toBe(bundle);
    expect(statSync(bundle).mtimeMs).toBe(built);
    const source = path.join(ROOT, 'api', 'src', 'ingest', 'load', 'copy-binary.ts');
    const { atime, mtime } = statSync(source);
    try {
      utimesSync(source, atime, new Date(Date.now() + 1000));
      await cliBundle();
      expect(statSync(bundle).mtimeMs).toBeGreaterThan(built);
    } finally {
      utimesSync(source, atime, mtime);
    }
  });
});
