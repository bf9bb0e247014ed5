import { log } from './env.mjs';
import { startLocalCluster, ensureDatabase } from './postgres.mjs';

/**
 * DATABASE_URL when given (used as is: its database must exist and allow CREATE EXTENSION postgis),
 * otherwise the project-local cluster with database `name`.
 */
export function resolveDatabaseUrl(name) {
  if (process.env.DATABASE_URL) {
    log('using DATABASE_URL from the environment');
    return process.env.DATABASE_URL;
  }
  const server = startLocalCluster();
  return ensureDatabase(server, name);
}
