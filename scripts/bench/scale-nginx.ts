/**
 * nginx in front of several API processes for the scale benchmark (the idea of
 * tests/helpers/balancer.ts, tuned for load): round robin, ONE worker (so the rotation is strict
 * and the balancer takes little of the two cores), keep-alive connections to the upstreams (no
 * TCP connect per request), and an access log line per request naming the upstream and the
 * answer's X-Read-From, so the benchmark counts, for every load run, how its requests were split
 * between the processes and where each process read them (replica or primary).
 *
 * Unlike the test's balancer, responses are buffered by nginx (large buffers): that is how it
 * would run in production, where the event streams switch buffering off themselves with
 * `X-Accel-Buffering: no` (docs/scaling.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './analysis-api.ts';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? null;

export function ensureNginx(): string {
  if (NGINX === null) throw new Error('nginx is not installed: the scale benchmark needs it as the balancer (apt-get install -y nginx)');
  return NGINX;
}

export interface Logged {
  /** requests per upstream (host:port) */
  upstreams: Map<string, number>;
  /** X-Read-From of the answers; `none`: absent (no replica configured, or a cache hit) */
  readFrom: { replica: number; primary: number; none: number };
}

export interface Nginx {
  baseUrl: string;
  command: string;
  /** what the access log holds since the previous call */
  take(): Promise<Logged>;
  stop(): Promise<void>;
}

export function benchNginxConfig(dir: string, port: number, upstreams: readonly string[]): string {
  const servers = upstreams.map((u) => `    server ${new URL(u).host};`).join('\n');
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  log_format upstream '$upstream_addr $status $upstream_http_x_read_from';
  access_log ${dir}/access.log upstream;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream samenhang {
${servers}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://samenhang;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_buffer_size 64k;
      proxy_buffers 16 64k;
      proxy_busy_buffers_size 128k;
      proxy_max_temp_file_size 0;
      proxy_read_timeout 300s;
    }
  }
}
`;
}

export interface RunningNginx {
  baseUrl: string;
  /** the prefix directory: config, pid, logs, temp paths */
  dir: string;
  /** nginx's error log */
  errors(): Promise<string>;
  /** graceful stop (SIGQUIT lets open connections finish), then the directory is removed */
  stop(): Promise<void>;
}

/**
 * nginx with the config `config(dir, port)` in a fresh prefix directory on a free loopback port,
 * resolved once it answers /api/health through to its upstreams. Shared by the scale benchmark and
 * the scale-out test's balancer (tests/helpers/balancer.ts), which differ only in their config.
 */
export async function launchNginx(config: (dir: string, port: number) => string, binary: string = ensureNginx()): Promise<RunningNginx> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'samenhang-nginx-'));
  // run as root, nginx's worker acts as `nobody` and must reach the temp paths
  await chmod(dir, 0o755);
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  await writeFile(conf, config(dir, port));
  const child: ChildProcess = spawn(binary, ['-p', dir, '-c', conf, '-e', path.join(dir, 'error.log'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const errors = () => readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '');
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await fetch(`${baseUrl}/api/health`).then(() => true, () => false);
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`nginx did not start:\n${out}\n${await errors()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    dir,
    errors,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGQUIT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function startNginx(upstreams: readonly string[]): Promise<Nginx> {
  const nginx = await launchNginx((dir, port) => benchNginxConfig(dir, port, upstreams));
  const accessLog = path.join(nginx.dir, 'access.log');
  let seen = 0;
  return {
    baseUrl: nginx.baseUrl,
    command: `nginx -c nginx.conf (worker_processes 1; upstream of ${upstreams.length} with keepalive 32; round robin; proxy_buffers 16 64k)`,
    take: async () => {
      const text = await readFile(accessLog, 'utf8').catch(() => '');
      const lines = text.slice(seen).split('\n').filter(Boolean);
      seen = text.length;
      const logged: Logged = { upstreams: new Map(), readFrom: { replica: 0, primary: 0, none: 0 } };
      for (const line of lines) {
        const [upstream = '-', , from = '-'] = line.split(' ');
        logged.upstreams.set(upstream, (logged.upstreams.get(upstream) ?? 0) + 1);
        logged.readFrom[from === 'replica' || from === 'primary' ? from : 'none']++;
      }
      return logged;
    },
    stop: nginx.stop,
  };
}
