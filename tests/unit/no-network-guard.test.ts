/**
 * The network guard of the hostile-files chaos run (scripts/chaos/no-network.mjs): preloaded into a
 * Node process, it records and refuses every attempt to reach anything but loopback — by socket,
 * http, fetch or DNS — and lets loopback through. Run in a child process, as the server runs it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const GUARD = path.resolve(import.meta.dirname, '..', '..', 'scripts', 'chaos', 'no-network.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'net-guard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run `code` in a child Node with the guard preloaded; returns its stdout and the recorded attempts. */
function guarded(name: string, code: string, all = true): { out: string; attempts: { kind: string; target: string }[] } {
  const file = path.join(dir, `${name}.jsonl`);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(GUARD).href, '--input-type=module', '-e', code], {
    env: { ...process.env, SAMENHANG_NET_GUARD_FILE: file, SAMENHANG_NET_GUARD_ALL: all ? '1' : '0' }, encoding: 'utf8', timeout: 20_000,
  });
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    /* nothing recorded */
  }
  return { out: r.stdout + r.stderr, attempts: text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; target: string }) };
}

describe('the chaos network guard (no-network.mjs)', () => {
  it('records and refuses fetch, http, a raw socket and DNS to the outside', () => {
    const { out, attempts } = guarded('outside', `
      import http from 'node:http'; import net from 'node:net'; import dns from 'node:dns';
      const r = [];
      await fetch('http://169.254.169.254/latest/meta-data/').then(() => r.push('fetch ok'), () => r.push('fetch refused'));
      await new Promise((res) => http.get('http://93.184.216.34/', () => { r.push('http ok'); res(); }).on('error', () => { r.push('http refused'); res(); }));
      await new Promise((res) => net.connect(443, '8.8.8.8').on('connect', () => { r.push('socket ok'); res(); }).on('error', () => { r.push('socket refused'); res(); }));
      await new Promise((res) => dns.lookup('example.com', (err) => { r.push(err ? 'dns refused' : 'dns ok'); res(); }));
      console.log(r.join(','));`);
    expect(out).toContain('fetch refused,http refused,socket refused,dns refused');
    expect(attempts.map((a) => a.kind)).toEqual(['fetch', 'socket', 'socket', 'dns']);
    expect(attempts.map((a) => a.target)).toEqual(['http://169.254.169.254', '93.184.216.34:80', '8.8.8.8:443', 'example.com']);
  });

  it('lets loopback through and records nothing for it', async () => {
    const server = createServer((s) => s.end('hallo'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    // spawnSync would block this process's event loop, and with it the server: run the child asynchronously
    const { spawn } = await import('node:child_process');
    const file = path.join(dir, 'loopback.jsonl');
    const child = spawn(process.execPath, ['--import', pathToFileURL(GUARD).href, '--input-type=module', '-e',
      `import net from 'node:net'; net.connect(${port}, '127.0.0.1').on('data', (d) => { console.log(String(d)); process.exit(0); });`], {
      env: { ...process.env, SAMENHANG_NET_GUARD_FILE: file, SAMENHANG_NET_GUARD_ALL: '1' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => child.on('exit', r));
    server.close();
    expect(out).toContain('hallo');
    expect(() => readFileSync(file, 'utf8')).toThrow(); // no attempt recorded
    expect(readFileSync(`${file}.pids`, 'utf8').trim()).toMatch(/^\d+$/);
  });

  it('leaves a process that is not the server alone (npx, the tsx launcher)', () => {
    const { out } = guarded('other', `console.log(String(globalThis.fetch).includes('guardedFetch') ? 'wrapped' : 'native');`, false);
    expect(out.trim()).toBe('native');
    expect(() => readFileSync(path.join(dir, 'other.jsonl.pids'), 'utf8')).toThrow();
  });
});
