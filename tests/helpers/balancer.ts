/**
 * nginx as the balancer in front of several API processes (issue 9 §4): a temporary prefix
 * directory holding the config, pid, logs and temp paths, an ephemeral port, round robin over the
 * upstreams, one worker (so the round robin is one strict rotation the tests can follow), request
 * and response buffering off (uploads stream through, Server-Sent Events arrive as they are sent).
 *
 * nginx is the Debian package `nginx` (scripts/test.mjs installs it); when it is missing this
 * throws instead of letting the test skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './app-process.ts';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? null;

export interface Balancer {
  baseUrl: string;
  /** nginx's error log, for a failing test's message */
  errors(): Promise<string>;
  stop(): Promise<void>;
}

export function nginxConfig(dir: string, port: number, upstreams: readonly string[]): string {
  const servers = upstreams.map((u) => `    server ${new URL(u).host};`).join('\n');
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 0;
  upstream samenhang {
${servers}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://samenhang;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 1h;
    }
  }
}
`;
}

/** The nginx binary; throws (never skips) when it is not installed. */
export function requireNginx(): string {
  if (NGINX === null) {
    throw new Error('nginx is not installed: the scale-out test needs it as the balancer (Debian package `nginx`; `npm test` installs it, or: apt-get install -y nginx)');
  }
  return NGINX;
}

export async function startBalancer(upstreams: readonly string[]): Promise<Balancer> {
  const nginx = requireNginx();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'samenhang-nginx-'));
  // run as root, nginx's workers act as `nobody` and must reach the temp paths
  await chmod(dir, 0o755);
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  await writeFile(conf, nginxConfig(dir, port, upstreams));
  const child: ChildProcess = spawn(nginx, ['-p', dir, '-c', conf, '-e', path.join(dir, 'error.log'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const errors = () => readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '');
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await fetch(`${baseUrl}/api/health`);
      break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`nginx did not start:\n${out}\n${await errors()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    errors,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGQUIT'); // graceful: lets open connections finish
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
