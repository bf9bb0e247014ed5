import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../api/src/http/app.ts';
import type { Pool } from '../../api/src/db/pool.ts';

export interface TestServer {
  baseUrl: string;
  errors: string[];
  close(): Promise<void>;
}

/** The real Express app on an ephemeral loopback port (API only, no web client). */
export async function startTestServer(pool: Pool, webDist: string | null = null, log: (msg: string) => void = () => undefined): Promise<TestServer> {
  const errors: string[] = [];
  const app = createApp({ pool, workingSrid: 28992, basemap: null, webDist, logError: (m) => errors.push(m), log });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    errors,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
