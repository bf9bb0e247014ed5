/**
 * nginx as the balancer in front of several API processes (issue 9 §4): a temporary prefix
 * directory holding the config, pid, logs and temp paths, an ephemeral port, round robin over the
 * upstreams, one worker (so the round robin is one strict rotation the tests can follow), request
 * and response buffering off (uploads stream through, Server-Sent Events arrive as they are sent).
 *
 * nginx is the Debian package `nginx` (scripts/test.mjs installs it); when it is missing this
 * throws instead of letting the test skip.
 */
import { existsSync } from 'node:fs';
import { launchNginx } from '../../scripts/bench/scale-nginx.ts';

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
  const nginx = await launchNginx((dir, port) => nginxConfig(dir, port, upstreams), requireNginx());
  return { baseUrl: nginx.baseUrl, errors: nginx.errors, stop: nginx.stop };
}
