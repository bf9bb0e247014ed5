import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { withDatabase } from './db.ts';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function runToEnd(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${out}`))));
  });
}

export interface AppProcess {
  baseUrl: string;
  output: () => string;
  /** SIGKILL to the whole process group: the process dies without a word (as on a crash) */
  kill(): void;
  stop(): Promise<void>;
}

/**
 * The product as `npm start` runs it: setup (migrate + demo import) against `databaseUrl`, the web
 * client built when missing, then the real server process on a free port. `extraEnv` e.g.
 * SAMENHANG_DEMO_PLANNING=0 for a test that plans its own works from an empty planning.
 */
export async function startApp(databaseUrl: string, extraEnv: Record<string, string> = {}, opts: { setUp?: boolean } = {}): Promise<AppProcess> {
  const env = { ...process.env, ...extraEnv, DATABASE_URL: databaseUrl };
  if (opts.setUp !== false) await runToEnd('npx', ['tsx', 'api/src/cli/setup.ts'], env);
  if (!existsSync(path.join(ROOT, 'web', 'dist', 'index.html'))) await runToEnd('npm', ['run', 'build', '-w', 'web'], env);
  return startServerProcess(databaseUrl, extraEnv);
}

/**
 * Within one `npm test` run (SAMENHANG_TEST_RUN, set by scripts/test.mjs), the database that
 * setup (migrate + demo import, ~10 s) makes for these settings, made once and then copied by
 * CREATE DATABASE … TEMPLATE (~0.4 s) for every end-to-end file: what `npm start` would have loaded,
 * byte for byte. Built under a temporary name and renamed when complete, so a failed setup is never
 * copied. null outside such a run (a file run alone sets its database up itself).
 */
export async function setUpTemplate(serverUrl: string, extraEnv: Record<string, string> = {}): Promise<string | null> {
  const run = process.env.SAMENHANG_TEST_RUN;
  if (!run || !/^[a-z0-9]{1,20}$/.test(run)) return null;
  const key = Object.entries(extraEnv).sort().map(([k, v]) => `${k}=${v}`).join('&');
  const name = `e2e_tmpl_${run}_${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return name;
    const building = `${name}_b`;
    await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${building}`);
    await runToEnd('npx', ['tsx', 'api/src/cli/setup.ts'], { ...process.env, ...extraEnv, DATABASE_URL: withDatabase(serverUrl, building) });
    await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    return name;
  } finally {
    await admin.end();
  }
}

/** The real server process (api/src/main.ts) on a free port, against a database that is set up already. */
export async function startServerProcess(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<AppProcess> {
  const env = { ...process.env, ...extraEnv, DATABASE_URL: databaseUrl };
  const port = await freePort();
  const child: ChildProcess = spawn('npx', ['tsx', 'api/src/main.ts'], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  // a process ended by a signal keeps exitCode null: signalCode says it is gone
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    baseUrl,
    output: () => log,
    kill: () => {
      if (child.pid && running()) process.kill(-child.pid, 'SIGKILL');
    },
    stop: async () => {
      if (child.pid && running()) {
        const exited = new Promise((r) => child.once('exit', r));
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* the group is gone already (killed): its exit event is on its way */
        }
        await exited;
      }
    },
  };
}
