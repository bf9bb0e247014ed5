/**
 * Network guard for the hostile-files chaos part (scripts/chaos/hostile.ts), preloaded into the
 * server process with NODE_OPTIONS='--import <this file>'. In the process that runs
 * api/src/main.ts it wraps every way out — net.Socket#connect (http, https, fetch/undici and pg
 * all end there), dns.lookup/resolve and fetch — and records each attempt to reach anything but
 * loopback or a unix socket as one JSON line in the file SAMENHANG_NET_GUARD_FILE names; such an
 * attempt is then refused (the socket errors), so a hostile file can never make the server fetch.
 * The pid of the guarded process goes to `<file>.pids`, so the harness can sample its memory.
 * Other processes (npx, the tsx launcher) are left alone. Tested by tests/unit/no-network-guard.test.ts.
 */
import { appendFileSync } from 'node:fs';
import dns from 'node:dns';
import net from 'node:net';

const file = process.env.SAMENHANG_NET_GUARD_FILE;
// SAMENHANG_NET_GUARD_ALL=1 guards any process (the guard's own test)
const guarded = file !== undefined
  && (process.env.SAMENHANG_NET_GUARD_ALL === '1' || process.argv.some((a) => a.replaceAll('\\', '/').endsWith('api/src/main.ts')));

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

function record(kind, target) {
  const stack = (new Error().stack ?? '').split('\n').slice(2, 8).map((l) => l.trim());
  appendFileSync(file, `${JSON.stringify({ pid: process.pid, kind, target, at: new Date().toISOString(), stack })}\n`);
}

const blocked = (target) => Object.assign(new Error(`network access to ${target} blocked by the chaos network guard`), { code: 'ECONNREFUSED' });

/** host and port of the arguments of Socket#connect (options object, normalized array, or port/host). */
function targetOf(args) {
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === 'object') {
    if (typeof first.path === 'string' && first.path !== '') return null; // a unix socket or pipe
    return { host: String(first.host ?? 'localhost'), port: first.port };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return null; // connect(path)
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: first };
}

if (guarded) {
  appendFileSync(`${file}.pids`, `${process.pid}\n`);
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const t = targetOf(args);
    if (t !== null && !LOOPBACK.has(t.host)) {
      const target = `${t.host}:${String(t.port)}`;
      record('socket', target);
      process.nextTick(() => this.destroy(blocked(target)));
      return this;
    }
    return connect.apply(this, args);
  };

  const lookup = dns.lookup;
  dns.lookup = function guardedLookup(host, ...rest) {
    if (typeof host === 'string' && !LOOPBACK.has(host)) {
      record('dns', host);
      const cb = rest.find((r) => typeof r === 'function');
      if (cb) process.nextTick(() => cb(blocked(host)));
      return {};
    }
    return lookup.call(this, host, ...rest);
  };
  const promiseLookup = dns.promises.lookup;
  dns.promises.lookup = async function guardedPromiseLookup(host, ...rest) {
    if (typeof host === 'string' && !LOOPBACK.has(host)) {
      record('dns', host);
      throw blocked(host);
    }
    return promiseLookup.call(this, host, ...rest);
  };
  for (const name of ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveTxt']) {
    const original = dns[name];
    dns[name] = function guardedResolve(host, ...rest) {
      record('dns', String(host));
      const cb = rest.find((r) => typeof r === 'function');
      if (cb) process.nextTick(() => cb(blocked(String(host))));
      return original === undefined ? undefined : {};
    };
  }

  const realFetch = globalThis.fetch;
  globalThis.fetch = async function guardedFetch(input, init) {
    const url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!LOOPBACK.has(host)) {
      record('fetch', url.origin);
      throw blocked(url.origin);
    }
    return realFetch(input, init);
  };
}
